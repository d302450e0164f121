import { beforeEach, describe, expect, it, vi } from "vitest";
import { appsClosedAfterEach, request, withEnv } from "../helpers.js";

/** `nitrokit dev` sets NITROKIT_DEV=1 so apps created at import time run in development mode. */
describe("NITROKIT_DEV", () => {
  const createApp = appsClosedAfterEach();
  // Unhandled errors are logged; keep the test output clean.
  beforeEach(() => void vi.spyOn(console, "error").mockImplementation(() => {}));
  const boom = () => {
    throw new Error("internal detail");
  };

  it("makes dev the default: unhandled errors show their message and stack", async () => {
    const app = await withEnv({ NITROKIT_DEV: "1" }, () => createApp().get("/boom", boom));
    expect(app.config.dev).toBe(true);
    const body = await (await request(app, "/boom")).json();
    expect(body.message).toBe("internal detail");
    expect(body.stack).toBeInstanceOf(Array);
  });

  it("leaves an explicit dev: false alone, and changes nothing when unset", async () => {
    const explicit = await withEnv({ NITROKIT_DEV: "1" }, () => createApp({ dev: false }).get("/boom", boom));
    const unset = await withEnv({ NITROKIT_DEV: undefined }, () => createApp().get("/boom", boom));
    for (const app of [explicit, unset]) {
      const body = await (await request(app, "/boom")).json();
      expect(body.message).not.toContain("internal detail");
      expect(body.stack).toBeUndefined();
    }
  });
});
