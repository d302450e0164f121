import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { createNitroApp, type NitroApp, type NitroConfig } from "../../src/index.js";
import { H3, defineHandler } from "../../src/h3.js";
import { json, request, serveOnLoopback } from "../helpers.js";
import { listRoutes } from "../../src/cli/route-list.js";
import { toNodeMiddleware, type NitroNodeServer } from "../../src/adapters/node.js";
import { createServer } from "node:http";
import express from "express";
import Fastify from "fastify";
import { closeServer, listen } from "../fixtures/http.js";

describe("serverEntry (Nitro's server.ts)", () => {
  const apps: NitroApp[] = [];
  const servers: NitroNodeServer[] = [];

  function createApp(config: NitroConfig): NitroApp {
    const app = createNitroApp(config);
    apps.push(app);
    return app;
  }

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it("lets specific routes win and answers the paths they do not serve", async () => {
    const seen: string[] = [];
    const app = createApp({
      serverEntry: defineHandler((event) => {
        seen.push(event.url.pathname);
        if (event.url.pathname === "/health") return "OK";
      }),
    });
    app.get("/api/hello", defineHandler(() => ({ from: "route" })));

    const routed = await request(app, "/api/hello");
    expect(await routed.json()).toEqual({ from: "route" });
    const health = await request(app, "/health");
    expect(health.status).toBe(200);
    expect(await health.text()).toBe("OK");
    // The route answered /api/hello without the entry running.
    expect(seen).toEqual(["/health"]);
  });

  it("continues to the 404 JSON when it returns nothing, and to a 405 on a path other methods serve", async () => {
    const seen: string[] = [];
    const app = createApp({
      serverEntry: defineHandler((event) => {
        seen.push(`${event.req.method} ${event.url.pathname}`);
      }),
    });
    app.get("/api/hello", defineHandler(() => ({ from: "route" })));

    const missing = await request(app, "/nothing/here", { headers: { accept: "application/json" } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toContain("application/json");
    expect(await missing.json()).toMatchObject({ status: 404, message: "Cannot find any route matching [GET] /nothing/here" });

    // No route serves POST /api/hello, so the entry runs first; then the path's methods decide.
    const wrongMethod = await request(app, "/api/hello", json({ x: 1 }));
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toContain("GET");
    expect(seen).toEqual(["GET /nothing/here", "POST /api/hello"]);
  });

  it("runs after global middleware, as Nitro's catch-all route does", async () => {
    const order: string[] = [];
    const app = createApp({
      middleware: [
        (event) => {
          order.push("middleware");
          event.context.user = "ada";
        },
      ],
      serverEntry: defineHandler((event) => {
        order.push("entry");
        return { user: event.context.user };
      }),
    });
    expect(await (await request(app, "/me")).json()).toEqual({ user: "ada" });
    expect(order).toEqual(["middleware", "entry"]);
  });

  it("serves a Hono app as the entry, routes of the app still first", async () => {
    const hono = new Hono();
    hono.get("/", (c) => c.text("Hello from Hono"));
    hono.post("/echo", async (c) => c.json({ from: "hono", body: await c.req.json() }));
    const app = createApp({ serverEntry: hono });
    app.get("/api/hello", defineHandler(() => ({ from: "route" })));

    expect(await (await request(app, "/")).text()).toBe("Hello from Hono");
    expect(await (await request(app, "/echo", json({ a: 1 }))).json()).toEqual({ from: "hono", body: { a: 1 } });
    expect(await (await request(app, "/api/hello")).json()).toEqual({ from: "route" });
    // Hono answers what it does not know itself, as under Nitro.
    const unknown = await request(app, "/unknown");
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toBe("404 Not Found");
  });

  it("serves an H3 app as the entry; a path it has no route for continues to the app's 404", async () => {
    const h3 = new H3();
    h3.use((event) => {
      event.res.headers.set("x-entry-middleware", "1");
    });
    h3.get("/", () => "Hello from H3");
    h3.get("/items/:id", (event) => ({ item: event.context.params?.id }));
    const app = createApp({ serverEntry: h3 });

    const home = await request(app, "/");
    expect(await home.text()).toBe("Hello from H3");
    expect(home.headers.get("x-entry-middleware")).toBe("1");
    expect(await (await request(app, "/items/7")).json()).toEqual({ item: "7" });
    const missing = await request(app, "/nope");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404 });
  });

  it("serves a { fetch } object; a fetch that returns nothing continues", async () => {
    const app = createApp({
      serverEntry: {
        async fetch(req: Request) {
          const url = new URL(req.url);
          if (url.pathname === "/health") return new Response("OK", { headers: { "content-type": "text/plain" } });
          if (url.pathname === "/echo") return Response.json(await req.json());
          return undefined as unknown as Response;
        },
      },
    });
    expect(await (await request(app, "/health")).text()).toBe("OK");
    expect(await (await request(app, "/echo", json({ over: "fetch" }))).json()).toEqual({ over: "fetch" });
    expect((await request(app, "/about")).status).toBe(404);
  });

  it("serves a Node-style entry (Express; fastify.routing) with its JSON body; Express's next() continues to the 404", async () => {
    const legacy = express();
    legacy.use(express.json());
    legacy.post("/echo", (req, res) => void res.json({ from: "express", body: req.body }));
    const app = createApp({ serverEntry: legacy });
    app.get("/api/hello", defineHandler(() => "route"));
    const { server, base } = await serveOnLoopback(app);
    servers.push(server);
    const echo = await fetch(`${base}/echo`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ e: 1 }) });
    expect(await echo.json()).toEqual({ from: "express", body: { e: 1 } });
    expect(await (await fetch(`${base}/api/hello`)).text()).toBe("route");
    const missing = await fetch(`${base}/missing`, { headers: { accept: "application/json" } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404 });

    const fastify = Fastify();
    fastify.post("/echo", async (req) => ({ from: "fastify", body: req.body }));
    await fastify.ready();
    try {
      const viaFastify = createApp({ serverEntry: fastify.routing });
      const answer = await request(viaFastify, "/echo", json({ f: 2 }));
      expect(await answer.json()).toEqual({ from: "fastify", body: { f: 2 } });
    } finally {
      await fastify.close();
    }
  });

  it("takes a two-parameter function for an h3 handler, as Nitro does (its `next` is undefined)", async () => {
    const app = createApp({ serverEntry: ((event: { url: URL }, next: unknown) => ({ path: event.url.pathname, next: typeof next })) as never });
    expect(await (await request(app, "/two")).json()).toEqual({ path: "/two", next: "undefined" });

    // Nitro's `format: "node"` makes it a Node (req, res) handler.
    const node = createApp({
      serverEntry: { handler: (req: { url: string }, res: { end(body: string): void }) => res.end(`node saw ${req.url}`), format: "node" },
    });
    expect(await (await request(node, "/two?x=1")).text()).toBe("node saw /two?x=1");
  });

  it("lives under baseURL like every route", async () => {
    const app = createApp({ baseURL: "/app", serverEntry: defineHandler(() => "entry") });
    expect(await (await request(app, "/app/anything")).text()).toBe("entry");
    expect((await request(app, "/elsewhere")).status).toBe(404);
  });

  it("works over real HTTP, request bodies included", async () => {
    const hono = new Hono();
    hono.post("/echo", async (c) => c.json({ body: await c.req.json() }));
    const app = createApp({ serverEntry: hono });
    app.get("/api/hello", defineHandler(() => ({ from: "route" })));
    const { server, base } = await serveOnLoopback(app);
    servers.push(server);

    expect(await (await fetch(`${base}/api/hello`)).json()).toEqual({ from: "route" });
    const echo = await fetch(`${base}/echo`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ n: 1 }) });
    expect(await echo.json()).toEqual({ body: { n: 1 } });
  });

  it("claims every path when the app is Express middleware (toNodeMiddleware)", async () => {
    const app = createApp({ serverEntry: defineHandler((event) => (event.url.pathname === "/entry" ? "from the entry" : undefined)) });
    app.get("/api/hello", defineHandler(() => "route"));
    await app.ready();
    const server = express();
    server.use(toNodeMiddleware(app));
    server.get("/express", (_req, res) => void res.send("express"));
    const http = createServer(server);
    const base = (await listen(http)).replace(/\/$/, "");
    try {
      expect(await (await fetch(`${base}/api/hello`)).text()).toBe("route");
      expect(await (await fetch(`${base}/entry`)).text()).toBe("from the entry");
      // The entry catches every path, so the app answers this one (its 404) rather than Express.
      expect((await fetch(`${base}/express`)).status).toBe(404);
    } finally {
      await closeServer(http);
    }
  });

  it("is listed by `nitrokit routes` as the catch-all, after the routes", async () => {
    const app = createApp({ serverEntry: "./server.mjs", rootDir: "test/fixtures/config-modules", handlers: [{ route: "/api/report", handler: "./routes/hello.mjs" }] });
    app.get("/api/hello", defineHandler(() => "route"));
    const rows = listRoutes(app).map(({ method, path, handler, lazy }) => ({ method, path, handler, lazy }));
    expect(rows).toEqual([
      { method: "ALL", path: "/api/report", handler: "lazy ./routes/hello.mjs", lazy: true },
      { method: "GET", path: "/api/hello", handler: null, lazy: false },
      { method: "ALL", path: "/**", handler: "lazy ./server.mjs", lazy: true },
    ]);
  });

  it("refuses at creation a value that cannot serve requests", () => {
    expect(() => createNitroApp({ serverEntry: 42 as never })).toThrow(/serverEntry: expected an h3 handler/);
    expect(() => createNitroApp({ serverEntry: { name: "x" } as never })).toThrow(/serverEntry/);
  });
});
