import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: the example is plain JavaScript, as a user would write it.
import { createShowcaseApp } from "../../examples/showcase/app.mjs";
import type { NitroApp } from "../../src/index.js";
import type { NitroNodeServer } from "../../src/adapters/node.js";
import { json, serveOnLoopback } from "../helpers.js";

describe("examples/showcase (npm start) over real HTTP", () => {
  let rootDir: string;
  let app: NitroApp;
  let server: NitroNodeServer;
  let base: string;
  const get = (path: string, init?: RequestInit) => fetch(`${base}${path}`, init);

  beforeAll(async () => {
    rootDir = await mkdtemp(join(tmpdir(), "nitrokit-showcase-"));
    app = createShowcaseApp({ rootDir, expensiveDelay: 800 }) as NitroApp;
    ({ server, base } = await serveOnLoopback(app));
  });
  afterAll(async () => {
    await server.close();
    await rm(rootDir, { recursive: true, force: true });
  });

  it("answers the API routes", async () => {
    expect(await (await get("/api/hello")).json()).toEqual({ message: "Hello from Nitro!" });
    expect(await (await get("/api/users/123")).json()).toEqual({ userId: "123", profile: { name: "John Doe", email: "user123@example.com" } });
    const created = await (await get("/api/users", json({ name: "Jane Doe", email: "jane@example.com" }))).json();
    expect(created).toMatchObject({ success: true, user: { name: "Jane Doe", email: "jane@example.com" } });
    expect((await get("/api/users", json({ name: "x" }))).status).toBe(400);
    expect((await get("/api/protected")).status).toBe(401);
    expect(await (await get("/api/protected", { headers: { authorization: "Bearer t" } })).json()).toEqual({ message: "Protected data", userId: "user-123" });
    expect(await (await get("/api/config")).json()).toEqual({ apiBase: "http://localhost:3000", version: "1.0.0", hasValidSecret: true });
  });

  it("writes SQLite and KV under .data", async () => {
    const first = await (await get("/api/products")).json();
    const second = await (await get("/api/products")).json();
    expect(second.count).toBe(first.count + 1);
    expect(await (await get("/api/counter")).json()).toEqual({ counter: 1, message: "Counter incremented to 1" });
    expect(await (await get("/api/counter")).json()).toEqual({ counter: 2, message: "Counter incremented to 2" });
    const lastAccess = await app.storage.getItem<{ ip: string }>("data:lastAccess");
    expect(lastAccess?.ip).toMatch(/127\.0\.0\.1/);
  });

  it("serves the expensive route from cache after the first call", async () => {
    const first = await (await get("/api/expensive")).json();
    const started = Date.now();
    const second = await (await get("/api/expensive")).json();
    expect(Date.now() - started).toBeLessThan(400);
    expect(second).toEqual(first);
  });

  it("caches the GitHub-stars function over the local upstream", async () => {
    const expected = { repository: "nitrojs/nitro", stars: 5234, forks: 432, openIssues: 45 };
    expect(await (await get("/api/github/nitrojs/nitro")).json()).toEqual(expected);
    expect(await (await get("/api/github/nitrojs/nitro")).json()).toEqual(expected);
    expect((await (await get("/_upstream/calls")).json()).upstreamCalls).toBe(1);
    expect(await (await get("/api/github/nope")).json()).toMatchObject({ repository: "nope", stars: 0 });
  });

  it("answers / with an HTML page linking every example, each of which answers (last: it touches the counter and caches)", async () => {
    const res = await get("/", { headers: { accept: "text/html" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toContain("<h1>nitrokit showcase</h1>");
    const links = [...page.matchAll(/<a href="([^"]+)">/g)].map((match) => match[1]!);
    expect(links).toEqual(["/api/hello", "/api/users/42", "/api/products", "/api/counter", "/api/expensive", "/api/github/nitrojs/nitro", "/api/config", "/api/protected"]);
    for (const link of links) {
      const linked = await get(link);
      expect([link, linked.status]).toEqual([link, link === "/api/protected" ? 401 : 200]);
      await linked.arrayBuffer();
    }
  });
});
