import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { serveOnLoopback } from "../helpers.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNitroApp, getRouteRules, type NitroApp } from "../../src/index.js";
import { defineHandler } from "../../src/h3.js";
import type { NitroNodeServer } from "../../src/adapters/node.js";

/** A real upstream on another loopback port, echoing what reached it. */
function startUpstream(): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      res.setHeader("x-upstream", "yes");
      res.end(JSON.stringify({ method: req.method, url: req.url, auth: req.headers.authorization ?? null, body }));
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

describe("the seed's routeRules, over real HTTP", () => {
  let upstream: { server: http.Server; url: string };
  let app: NitroApp;
  let server: NitroNodeServer;
  let base: string;
  const renders: Record<string, number> = {};
  const get = (path: string, init?: RequestInit) => fetch(`${base}${path}`, { redirect: "manual", ...init });

  beforeAll(async () => {
    upstream = await startUpstream();
    app = createNitroApp({
      storage: { redis: { driver: "memory" } }, // stands in for the seed's Redis mount
      routeRules: {
        "/blog/**": { swr: 3600, headers: { "X-Content-Type": "blog" } },
        "/about": { static: true },
        "/assets/**": { headers: { "cache-control": "public, max-age=31536000, immutable" } },
        "/api/public/**": { cors: true, headers: { "access-control-allow-methods": "GET, POST", "access-control-allow-origin": "*" } },
        "/old-blog/**": { redirect: "/blog/**" },
        "/legacy": { redirect: { to: "/new-page", statusCode: 301 } },
        "/api/external/**": { proxy: `${upstream.url}/**` },
        "/api/cached/**": { cache: { maxAge: 600, base: "redis", varies: ["authorization"] } },
      },
    });
    const counted = (name: string) => defineHandler((event) => ({ name, path: event.url.pathname, renders: (renders[name] = (renders[name] ?? 0) + 1) }));
    app.get("/blog/**", counted("blog"));
    app.get("/about", counted("about"));
    app.get("/assets/**", counted("assets"));
    app.all("/api/public/**", counted("public"));
    app.get("/api/cached/**", defineHandler((event) => ({ auth: event.req.headers.get("authorization"), renders: (renders.cached = (renders.cached ?? 0) + 1) })));
    ({ server, base } = await serveOnLoopback(app));
  });
  afterAll(async () => {
    await server?.close();
    upstream.server.closeAllConnections();
    upstream.server.close();
  });

  it("/blog/**: headers, and swr caching", async () => {
    const first = await get("/blog/hello");
    expect(first.headers.get("x-content-type")).toBe("blog");
    const body = await first.json();
    const second = await get("/blog/hello");
    expect(await second.json()).toEqual(body);
    expect(renders.blog).toBe(1);
    expect(second.headers.get("cache-control")).toMatch(/max-age=3600/);
  });

  it("/about: static is data for prerenderers, served normally at run time", async () => {
    expect((await get("/about")).status).toBe(200);
    expect(getRouteRules("", "/about").routeRules).toMatchObject({ static: true });
  });

  it("/assets/**: custom Cache-Control", async () => {
    expect((await get("/assets/app.js")).headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });

  it("/api/public/**: CORS, preflight answered", async () => {
    const preflight = await get("/api/public/data", { method: "OPTIONS", headers: { origin: "https://site.example", "access-control-request-method": "POST" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    const res = await get("/api/public/data", { headers: { origin: "https://site.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toBe("GET, POST");
  });

  it("/old-blog/**: wildcard redirect carries the rest of the path and the query (307)", async () => {
    const res = await get("/old-blog/2024/post?ref=feed");
    expect(res.status).toBe(307);
    expect(res.headers.get("location")).toBe("/blog/2024/post?ref=feed");
  });

  it("/legacy: Nitro's statusCode is honoured and the query appended", async () => {
    const res = await get("/legacy?x=1");
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe("/new-page?x=1");
  });

  it("/api/external/**: proxied to the upstream with path tail, query, method, headers and body", async () => {
    const res = await get("/api/external/users/7?full=1", { method: "POST", headers: { authorization: "Bearer t", "content-type": "text/plain" }, body: "hello" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-upstream")).toBe("yes");
    expect(await res.json()).toEqual({ method: "POST", url: "/users/7?full=1", auth: "Bearer t", body: "hello" });
  });

  it("/api/cached/**: cached in the configured mount, varied on authorization", async () => {
    const alice = { headers: { authorization: "Bearer alice" } };
    const bob = { headers: { authorization: "Bearer bob" } };
    expect(await (await get("/api/cached/me", alice)).json()).toEqual({ auth: "Bearer alice", renders: 1 });
    expect(await (await get("/api/cached/me", alice)).json()).toEqual({ auth: "Bearer alice", renders: 1 });
    expect(await (await get("/api/cached/me", bob)).json()).toEqual({ auth: "Bearer bob", renders: 2 });
    // In Nitro's group `nitro/route-rules`, which ocache (Nitro's cache library) escapes
    // to a colon-free segment: `<group without non-word characters>.<sha256 of "'<length>:<group>">`.
    const group = `nitrorouterules.${createHash("sha256").update("'17:nitro/route-rules").digest("base64url")}`;
    const keys = await app.storage.getKeys("redis:");
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((key) => key.startsWith(`redis:${group}:`))).toBe(true);
  });

  it("getRouteRules(method, pathname) answers Nitro 3's { routeRules, routeRuleMiddleware } outside any request", () => {
    const blog = getRouteRules("GET", "/blog/hello");
    expect(Object.keys(blog).sort()).toEqual(["routeRuleMiddleware", "routeRules"]);
    expect(blog.routeRules).toMatchObject({ headers: { "X-Content-Type": "blog" }, cache: { swr: true, maxAge: 3600 } });
    // headers and cache: one middleware each, as the request path runs them.
    expect(blog.routeRuleMiddleware).toHaveLength(2);
    expect(blog.routeRuleMiddleware.every((middleware) => typeof middleware === "function")).toBe(true);
    // Nitro's own callers pass "" for rules that do not depend on the method.
    expect(getRouteRules("", "/legacy").routeRules.redirect).toMatchObject({ to: "/new-page", status: 301 });
    expect(app.getRouteRules("GET", "/nothing")).toEqual({ routeRules: {}, routeRuleMiddleware: [] });
    // A proxy rule without a timeout gets one, so a silent upstream cannot hold requests forever.
    expect(getRouteRules("POST", "/api/external/x").routeRules.proxy).toMatchObject({ timeout: 30_000 });
  });

  it("getRouteRules() refuses nitrokit's former (path, method?) order with the fix", () => {
    const call = getRouteRules as unknown as (...args: unknown[]) => unknown;
    expect(() => call("/blog/hello")).toThrow(/getRouteRules\(method, pathname\).*getRouteRules\("", "\/blog\/hello"\)/);
    expect(() => call("/blog/hello", "GET")).toThrow(/getRouteRules\("GET", "\/blog\/hello"\)/);
  });
});
