import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createNitroApp, type NitroApp, type NitroConfig } from "../../src/index.js";
import { createError, defineHandler, defineMiddleware, proxyRequest, type Middleware } from "../../src/h3.js";
import type { NitroNodeServer } from "../../src/adapters/node.js";
import { request, serveOnLoopback } from "../helpers.js";

const apps: NitroApp[] = [];
const servers: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(apps.splice(0).map((app) => app.close()));
});
function makeApp(config: NitroConfig): NitroApp {
  const app = createNitroApp(config);
  apps.push(app);
  return app;
}

const RULES: NitroConfig["routeRules"] = {
  "/page/**": { headers: { "x-rule": "headers" }, cors: true },
  "/page/cached": { cache: { maxAge: 60 } },
  "/old/**": { redirect: "/page/**" },
};
const FROM_SITE = { headers: { origin: "https://site.example" } };

type Timing = "config.middleware" | "app.use() before ready()" | "app.use() in a plugin" | "app.use() after ready()";
const TIMINGS: Timing[] = ["config.middleware", "app.use() before ready()", "app.use() in a plugin", "app.use() after ready()"];

/**
 * An app with the rules above and one recording middleware per timing given. Each records its
 * name, whether the cors rule had already run (its header is staged) and the rules resolved
 * for the request; `?deny` makes them answer 403 themselves.
 */
async function orderedApp(timings: Timing[]): Promise<{ app: NitroApp; log: string[] }> {
  const log: string[] = [];
  const recorder = (name: string): Middleware =>
    defineMiddleware((event) => {
      const cors = event.res.headers.get("access-control-allow-origin") ? "after cors" : "before cors";
      log.push(`${name} (${cors}; rules: ${Object.keys(event.context.routeRules ?? {}).sort().join(",")})`);
      if (event.url.searchParams.has("deny")) throw createError({ status: 403, message: "denied by " + name });
    });
  const app = makeApp({ routeRules: RULES, middleware: timings.includes("config.middleware") ? [recorder("config.middleware")] : [] });
  app.get("/page/**", defineHandler((event) => {
    log.push("handler");
    return { path: event.url.pathname };
  }));
  if (timings.includes("app.use() before ready()")) app.use(recorder("app.use() before ready()"));
  if (timings.includes("app.use() in a plugin")) app.plugin((nitroApp) => void nitroApp.use(recorder("app.use() in a plugin")));
  await app.ready();
  if (timings.includes("app.use() after ready()")) app.use(recorder("app.use() after ready()"));
  return { app, log };
}

/** What a request logs. */
async function logOf(app: NitroApp, log: string[], path: string): Promise<{ status: number; rule: string | null; log: string[] }> {
  log.length = 0;
  const res = await request(app, path, { ...FROM_SITE, redirect: "manual" });
  await res.arrayBuffer();
  return { status: res.status, rule: res.headers.get("x-rule"), log: [...log] };
}

describe("middleware order: route rules, then global middleware, then the cache rule around the handler", () => {
  it.each(TIMINGS)("is the same for middleware registered through %s", async (timing) => {
    const { app, log } = await orderedApp([timing]);
    const ran = `${timing} (after cors; rules: cors,headers)`;
    const ranCached = `${timing} (after cors; rules: cache,cors,headers)`;
    // cors and headers rules first: the middleware sees the cors header staged and the rules resolved.
    expect(await logOf(app, log, "/page/a")).toEqual({ status: 200, rule: "headers", log: [ran, "handler"] });
    // The headers rule wraps the middleware: its header is on the middleware's own answer too.
    expect(await logOf(app, log, "/page/a?deny")).toEqual({ status: 403, rule: "headers", log: [ran] });
    // A redirect rule answers before any global middleware.
    expect(await logOf(app, log, "/old/a")).toEqual({ status: 307, rule: null, log: [] });
    // The cache rule runs after the middleware: a miss renders, a hit does not, the middleware runs on both.
    expect(await logOf(app, log, "/page/cached")).toEqual({ status: 200, rule: "headers", log: [ranCached, "handler"] });
    expect(await logOf(app, log, "/page/cached")).toEqual({ status: 200, rule: "headers", log: [ranCached] });
    expect(await logOf(app, log, "/page/cached?deny")).toEqual({ status: 403, rule: "headers", log: [ranCached] });
  });

  it("runs global middleware in registration order, whenever each was registered", async () => {
    const { app, log } = await orderedApp(TIMINGS);
    const expected = (rules: string) => TIMINGS.map((timing) => `${timing} (after cors; rules: ${rules})`);
    expect((await logOf(app, log, "/page/a")).log).toEqual([...expected("cors,headers"), "handler"]);
    expect((await logOf(app, log, "/page/cached")).log).toEqual([...expected("cache,cors,headers"), "handler"]);
    expect((await logOf(app, log, "/page/cached")).log).toEqual(expected("cache,cors,headers"));
    // A middleware registered later still runs before the cache rule.
    app.use(defineMiddleware(() => void log.push("late")));
    expect((await logOf(app, log, "/page/cached")).log).toEqual([...expected("cache,cors,headers"), "late"]);
    expect((await logOf(app, log, "/old/x")).log).toEqual([]);
  });
});

/** Refuses every request without `authorization: Bearer ok`. */
const auth = defineMiddleware((event) => {
  if (event.req.headers.get("authorization") !== "Bearer ok") throw createError({ status: 401, message: "Unauthorized" });
});

describe("security consequences of the order", () => {
  it("a cache rule never serves a cached response past auth middleware (over real HTTP)", async () => {
    let renders = 0;
    const app = makeApp({ routeRules: { "/api/report": { cache: { maxAge: 600 } } } });
    app.get("/api/report", defineHandler(() => ({ report: "secret", renders: ++renders })));
    await app.ready();
    // Registered after ready(): it used to run after the rules, so the cache answered first.
    app.use(auth);
    const { server, base } = await serveOnLoopback(app);
    servers.push(server);
    const authorized = { headers: { authorization: "Bearer ok" } };
    expect(await (await fetch(`${base}/api/report`, authorized)).json()).toEqual({ report: "secret", renders: 1 });
    expect(await (await fetch(`${base}/api/report`, authorized)).json()).toEqual({ report: "secret", renders: 1 });
    // The cache is warm: a request without credentials still meets the middleware.
    const refused = await fetch(`${base}/api/report`);
    expect(refused.status).toBe(401);
    expect(await refused.text()).not.toContain("secret");
    expect(renders).toBe(1);
  });

  it("a cache rule runs the route's own middleware on every request, around the cached handler", async () => {
    let renders = 0;
    const app = makeApp({ routeRules: { "/api/report": { cache: { maxAge: 600 } } } });
    app.get("/api/report", defineHandler(() => ({ renders: ++renders })), { middleware: [auth] });
    expect((await request(app, "/api/report", { headers: { authorization: "Bearer ok" } })).status).toBe(200);
    expect(await (await request(app, "/api/report", { headers: { authorization: "Bearer ok" } })).json()).toEqual({ renders: 1 });
    expect((await request(app, "/api/report")).status).toBe(401);
    // Methods the cache does not store go to the route as usual, through its middleware.
    expect((await request(app, "/api/report", { method: "POST" })).status).toBe(405);
    expect(renders).toBe(1);
  });

  it("a CORS preflight is answered by the cors rule under auth middleware", async () => {
    const app = makeApp({ routeRules: { "/api/**": { cors: { origin: ["https://site.example"], methods: ["GET", "POST"] } } } });
    app.use(auth);
    app.post("/api/items", defineHandler(() => ({ created: true })));
    const preflight = await request(app, "/api/items", {
      method: "OPTIONS",
      headers: { origin: "https://site.example", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://site.example");
    // The request itself still needs credentials.
    expect((await request(app, "/api/items", { method: "POST", headers: { origin: "https://site.example" } })).status).toBe(401);
  });

  it("a cors rule scoped to a method answers that method's preflight", async () => {
    const app = makeApp({ routeRules: { "POST /api/items": { cors: { origin: "*" } } } });
    app.use(auth);
    app.post("/api/items", defineHandler(() => ({ created: true })));
    const preflight = await request(app, "/api/items", { method: "OPTIONS", headers: { origin: "https://x.example", "access-control-request-method": "POST" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    const other = await request(app, "/api/items", { method: "OPTIONS", headers: { origin: "https://x.example", "access-control-request-method": "DELETE" } });
    expect(other.status).toBe(401);
  });

  it("a proxy rule answers before auth middleware; a handler that proxies is gated by it", async () => {
    const hits: string[] = [];
    const upstream = http.createServer((req, res) => {
      hits.push(req.url ?? "");
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ upstream: req.url }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    servers.push({ close: () => new Promise<void>((resolve) => (upstream.closeAllConnections(), upstream.close(() => resolve()))) });
    const target = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const app = makeApp({ routeRules: { "/open/**": { proxy: `${target}/**` } } });
    app.use(auth);
    // README's way to keep a proxied path behind auth: proxy from a handler, which runs after the middleware.
    app.all("/private/**", defineHandler((event) => proxyRequest(event, `${target}${event.url.pathname.slice("/private".length)}${event.url.search}`)));
    const { server, base } = await serveOnLoopback(app);
    servers.push(server as NitroNodeServer);

    expect(await (await fetch(`${base}/open/a?x=1`)).json()).toEqual({ upstream: "/a?x=1" });
    expect((await fetch(`${base}/private/b`)).status).toBe(401);
    expect(hits).toEqual(["/a?x=1"]);
    expect(await (await fetch(`${base}/private/b?y=2`, { headers: { authorization: "Bearer ok" } })).json()).toEqual({ upstream: "/b?y=2" });
  });
});
