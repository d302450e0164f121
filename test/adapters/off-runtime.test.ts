import { describe, expect, it } from "vitest";
import { serve as serveBun } from "../../src/adapters/bun.js";
import { serve as serveDeno } from "../../src/adapters/deno.js";
import { appsClosedAfterEach } from "../helpers.js";

const createApp = appsClosedAfterEach();

// The adapters run on their runtimes in test/runtimes; here, what happens on the wrong one.
describe("runtime adapters on the wrong runtime", () => {
  it("nitrokit/bun and nitrokit/deno say which runtime they need", () => {
    const app = createApp();
    expect(() => serveBun(app)).toThrow(/run this with `bun`/);
    expect(() => serveDeno(app)).toThrow(/run this with `deno run`/);
  });
});
