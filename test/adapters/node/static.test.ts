import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveOnLoopback } from "../../helpers.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNitroApp, type NitroApp } from "../../../src/index.js";
import { serveStatic, type NitroNodeServer } from "../../../src/adapters/node.js";
import { rawRequest } from "../../fixtures/http.js";

describe("serveStatic over real HTTP", () => {
  let root: string;
  let app: NitroApp;
  let server: NitroNodeServer;
  let base: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "nitrokit-static-"));
    const pub = join(root, "public");
    await mkdir(join(pub, "assets"), { recursive: true });
    await mkdir(join(pub, "docs"), { recursive: true });
    await writeFile(join(pub, "index.html"), "<h1>home</h1>");
    await writeFile(join(pub, "docs/index.html"), "<h1>docs</h1>");
    await writeFile(join(pub, "assets/app.js"), "console.log(1)");
    await writeFile(join(pub, "assets/style.css"), "body{}");
    await writeFile(join(pub, "data.json"), '{"a":1}');
    await writeFile(join(pub, ".env"), "SECRET=1");
    await writeFile(join(root, "secret.txt"), "outside the root");
    await symlink(join(root, "secret.txt"), join(pub, "link.txt"));

    app = createNitroApp({ routeRules: { "/assets/**": { headers: { "cache-control": "public, max-age=31536000, immutable" } } } });
    app.get("/api/hello", () => ({ api: true }));
    app.get("/assets/**", serveStatic(join(pub, "assets"), { base: "/assets" }));
    app.get("/**", serveStatic(pub, { maxAge: 60 }));
    ({ server, base } = await serveOnLoopback(app));
  });
  afterAll(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  it("serves files with their content types, index.html for directories, and routes still win", async () => {
    const home = await rawRequest(`${base}/`);
    expect([home.status, home.headers["content-type"], home.body]).toEqual([200, "text/html; charset=utf-8", "<h1>home</h1>"]);
    expect((await rawRequest(`${base}/docs/`)).body).toBe("<h1>docs</h1>");
    expect((await rawRequest(`${base}/data.json`)).headers["content-type"]).toBe("application/json");
    expect((await rawRequest(`${base}/assets/style.css`)).headers["content-type"]).toBe("text/css; charset=utf-8");
    expect(JSON.parse((await rawRequest(`${base}/api/hello`)).body)).toEqual({ api: true });
    expect((await rawRequest(`${base}/missing.txt`)).status).toBe(404);
  });

  it("answers conditional requests with 304 and honours maxAge and route-rule Cache-Control", async () => {
    const first = await rawRequest(`${base}/data.json`);
    expect(first.headers["cache-control"]).toBe("max-age=60");
    const etag = String(first.headers.etag);
    expect((await rawRequest(`${base}/data.json`, { headers: { "if-none-match": etag } })).status).toBe(304);
    expect((await rawRequest(`${base}/data.json`, { headers: { "if-modified-since": String(first.headers["last-modified"]) } })).status).toBe(304);
    expect((await rawRequest(`${base}/assets/app.js`)).headers["cache-control"]).toBe("public, max-age=31536000, immutable");
  });

  it("survives clients hanging up as a file with route-rule headers ends (no uncaught stream error)", async () => {
    // Node 20's undici throws from a microtask when its wrapper of a file stream is cancelled as it closes.
    const responses = await Promise.all(Array.from({ length: 60 }, () => rawRequest(`${base}/assets/style.css`)));
    expect(responses.every((res) => res.status === 200)).toBe(true);
  });

  it("answers HEAD without a body", async () => {
    const res = await rawRequest(`${base}/data.json`, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
  });

  it.each([
    "/..%2fsecret.txt",
    "/%2e%2e/secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/assets/..%2f..%2fsecret.txt",
    "/..%5csecret.txt",
    "/data.json%00.html",
    "/link.txt",
    "/.env",
  ])("serves nothing outside the root or hidden: %s", async (path) => {
    const res = await rawRequest(`${base}${path}`);
    expect([400, 404]).toContain(res.status);
    expect(res.body).not.toMatch(/outside the root|SECRET/);
  });
});
