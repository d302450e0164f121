import http from "node:http";
import type { AddressInfo } from "node:net";
import { serveOnLoopback } from "../helpers.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNitroApp, type NitroApp } from "../../src/index.js";
import type { NitroNodeServer } from "../../src/adapters/node.js";
import { rawRequest } from "../fixtures/http.js";

describe("route rules: merging, upstream failures and security, over real HTTP", () => {
  let upstream: http.Server;
  const upstreamPaths: string[] = [];
  let app: NitroApp;
  let server: NitroNodeServer;
  let base: string;
  let closedPort: number;

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      upstreamPaths.push(req.url ?? "");
      res.end("upstream");
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const upstreamURL = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    // A port nothing listens on: the proxy must fail fast with 502.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));

    app = createNitroApp({
      routeRules: {
        "/a/**": { headers: { "x-a": "1", "x-b": "1" } },
        "/a/b/**": { headers: { "x-b": "2" } },
        "/a/b/c": { headers: false },
        "/legacy": { redirect: "/new-page" },
        "/old-blog/**": { redirect: "/blog/**" },
        "/api/external/**": { proxy: `${upstreamURL}/public/**` },
        "/api/down/**": { proxy: `http://127.0.0.1:${closedPort}/**` },
      },
    });
    app.get("/a/**", () => "ok");
    ({ server, base } = await serveOnLoopback(app));
  });
  afterAll(async () => {
    await server?.close();
    upstream.closeAllConnections();
    upstream.close();
  });

  it("merges matching patterns from broad to narrow; false cancels an inherited rule", async () => {
    const narrow = await rawRequest(`${base}/a/b/x`);
    expect([narrow.headers["x-a"], narrow.headers["x-b"]]).toEqual(["1", "2"]);
    const broad = await rawRequest(`${base}/a/x`);
    expect([broad.headers["x-a"], broad.headers["x-b"]]).toEqual(["1", "1"]);
    const cancelled = await rawRequest(`${base}/a/b/c`);
    expect([cancelled.headers["x-a"], cancelled.headers["x-b"]]).toEqual([undefined, undefined]);
  });

  it.each([
    "/legacy//evil.com",
    "/old-blog//evil.com",
    "/old-blog/%2F%2Fevil.com",
    "/old-blog/%2f%2fevil.com",
    "/old-blog/\\evil.com",
    "/old-blog/%5C%5Cevil.com",
    "/old-blog/%5c/evil.com",
    "/old-blog/%09/evil.com",
    "/old-blog/..%2F..%2F%2Fevil.com",
  ])("never redirects off-site: %s", async (path) => {
    const res = await rawRequest(`${base}${path}`);
    expect(res.status).not.toBe(500);
    const location = res.headers.location;
    if (location !== undefined) {
      const target = new URL(String(location), "http://site.example");
      expect(target.origin).toBe("http://site.example");
      expect(String(location)).not.toMatch(/^(\/\/|\/\\|\\)/);
    }
  });

  it("cannot inject headers through a redirect target (CRLF)", async () => {
    const res = await rawRequest(`${base}/old-blog/x%0D%0ASet-Cookie:%20pwned=1`);
    expect(res.status).not.toBe(500);
    expect(res.headers["set-cookie"]).toBeUndefined();
    expect(String(res.headers.location ?? "")).not.toMatch(/[\r\n]/);
  });

  it("keeps a proxy inside its target prefix: encoded dot-segments are refused", async () => {
    upstreamPaths.length = 0;
    for (const path of ["/api/external/..%2f..%2fadmin", "/api/external/..%5c..%5cadmin", "/api/external/x/..%2F..%2F..%2Fadmin"]) {
      const res = await rawRequest(`${base}${path}`);
      expect(res.status, path).toBe(400);
    }
    // Percent-encoded dots are plain dot-segments once decoded: the URL resolves to /admin,
    // which no rule covers, so it is a 404 of this app rather than a proxied request.
    expect((await rawRequest(`${base}/api/external/%2e%2e/%2e%2e/admin`)).status).toBe(404);
    expect(upstreamPaths.filter((p) => !p.startsWith("/public/"))).toEqual([]);
    const ok = await rawRequest(`${base}/api/external/file.txt`);
    expect(ok.status).toBe(200);
    expect(upstreamPaths).toEqual(["/public/file.txt"]);
  });

  it("answers 502 with a JSON error, fast, when the upstream is down", async () => {
    const started = Date.now();
    const res = await rawRequest(`${base}/api/down/x`);
    expect(res.status).toBe(502);
    expect(String(res.headers["content-type"])).toMatch(/application\/json/);
    expect(JSON.parse(res.body).status).toBe(502);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("refuses prototype names in rules", () => {
    expect(() => createNitroApp({ routeRules: JSON.parse('{"/x": {"__proto__": {"headers": {"a": "b"}}}}') })).toThrow(/'__proto__' is not allowed/);
    expect(() => createNitroApp({ routeRules: JSON.parse('{"/x": {"headers": {"constructor": "x"}}}') })).toThrow(/'constructor' is not allowed/);
    expect(() => createNitroApp({ routeRules: JSON.parse('{"prototype": {}}') })).toThrow(/'prototype' is not allowed/);
  });
});
