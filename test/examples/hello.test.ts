import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: the example is plain JavaScript, as a user would write it.
import { app } from "../../examples/hello/app.mjs";
import type { NitroApp } from "../../src/index.js";
import { serve } from "../../src/adapters/node.js";
import { json } from "../helpers.js";

const nitro = app as NitroApp;

describe("examples/hello (the core issue's snippet)", () => {
  const server = serve(nitro, { port: 0, hostname: "127.0.0.1", silent: true, gracefulShutdown: false });
  afterAll(() => server.close());

  it("serves its routes over real HTTP", async () => {
    await nitro.ready();
    await server.ready();
    const base = server.url!;
    expect(await (await fetch(`${base}api/hello`)).json()).toEqual({ message: "Hello from Nitro!" });
    expect(await (await fetch(`${base}api/users/123`)).json()).toEqual({ userId: "123" });
    expect(await (await fetch(`${base}api/users`, json({ name: "Jane", email: "jane@example.com" }))).json()).toEqual({ success: true });
    const bad = await fetch(`${base}api/users`, json({ email: "x" }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toBe("Name and email are required");
    expect(await (await fetch(`${base}api/config`)).json()).toEqual({ apiBase: "http://localhost:3000", hasValidSecret: true });
    const { requestId } = await (await fetch(`${base}api/request-id`)).json();
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
