import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { createNitroApp, type NitroApp } from "../../src/index.js";
import { H3, defineHandler, getRouterParam } from "../../src/h3.js";
import { serve, type NitroNodeServer } from "../../src/adapters/node.js";

const get = (app: NitroApp, path: string, init?: RequestInit) => app.fetch(new Request(`http://localhost${path}`, init));

function createHono(): Hono {
  const hono = new Hono();
  hono.get("/hello", (c) => c.json({ from: "hono", path: c.req.path }));
  hono.get("/users/:id", (c) => c.json({ from: "hono", id: c.req.param("id") }));
  hono.post("/echo", async (c) => c.json({ from: "hono", body: await c.req.json() }));
  return hono;
}

describe("app.mount()", () => {
  const apps: NitroApp[] = [];
  let server: NitroNodeServer | undefined;

  function createApp(): NitroApp {
    const app = createNitroApp();
    apps.push(app);
    return app;
  }

  afterEach(async () => {
    await server?.close();
    server = undefined;
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it("serves a Hono app under a prefix, with the prefix stripped", async () => {
    const app = createApp();
    app.get("/api/hello", defineHandler(() => ({ from: "nitrokit" })));
    app.mount("/legacy", createHono());

    const hello = await get(app, "/legacy/hello");
    expect(hello.status).toBe(200);
    expect(await hello.json()).toEqual({ from: "hono", path: "/hello" });
    expect(await (await get(app, "/legacy/users/5")).json()).toEqual({ from: "hono", id: "5" });

    const echo = await get(app, "/legacy/echo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ x: 1 }),
    });
    expect(await echo.json()).toEqual({ from: "hono", body: { x: 1 } });

    expect(await (await get(app, "/api/hello")).json()).toEqual({ from: "nitrokit" });

    // Unknown paths under the prefix are Hono's to answer; elsewhere they are nitrokit's.
    const honoMissing = await get(app, "/legacy/missing");
    expect(honoMissing.status).toBe(404);
    expect(await honoMissing.text()).toBe("404 Not Found");
    const missing = await get(app, "/elsewhere");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404 });
  });

  it("uses a Hono app mounted at / as the fallback while its own routes win", async () => {
    const app = createApp();
    app.get("/hello", defineHandler(() => ({ from: "nitrokit" })));
    app.get("/users/:id", defineHandler((event) => ({ from: "nitrokit", id: getRouterParam(event, "id") })));
    app.mount("/", createHono());

    expect(await (await get(app, "/hello")).json()).toEqual({ from: "nitrokit" });
    expect(await (await get(app, "/users/9")).json()).toEqual({ from: "nitrokit", id: "9" });
    // Only Hono answers POST /echo.
    const echo = await get(app, "/echo", { method: "POST", body: JSON.stringify("hi"), headers: { "content-type": "application/json" } });
    expect(await echo.json()).toEqual({ from: "hono", body: "hi" });

    const missing = await get(app, "/nothing");
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe("404 Not Found");
  });

  it("mounts an H3 app, its middleware scoped to the prefix", async () => {
    const sub = new H3();
    sub.use((event) => {
      event.res.headers.set("x-sub", "1");
    });
    sub.get("/ping", () => ({ pong: true }));
    sub.get("/items/:id", (event) => ({ item: getRouterParam(event, "id"), path: event.url.pathname }));

    const app = createApp();
    app.get("/api/hello", defineHandler(() => ({ from: "nitrokit" })));
    app.mount("/h3", sub);

    const ping = await get(app, "/h3/ping");
    expect(ping.status).toBe(200);
    expect(ping.headers.get("x-sub")).toBe("1");
    expect(await ping.json()).toEqual({ pong: true });
    expect(await (await get(app, "/h3/items/3")).json()).toEqual({ item: "3", path: "/h3/items/3" });

    const own = await get(app, "/api/hello");
    expect(own.headers.get("x-sub")).toBe(null);

    // The mounted routes are known to the app: a wrong method is a 405, not a 404.
    const wrongMethod = await get(app, "/h3/ping", { method: "POST" });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")?.split(/,\s*/).sort()).toEqual(["GET", "HEAD"]);
    expect((await get(app, "/h3/missing")).status).toBe(404);
  });

  it("serves mounted apps over real HTTP", async () => {
    const sub = new H3().get("/ping", () => ({ pong: true }));
    const app = createApp();
    app.get("/api/hello", defineHandler(() => ({ from: "nitrokit" })));
    app.mount("/legacy", createHono());
    app.mount("/h3", sub);
    app.mount("/", createHono());

    server = serve(app, { port: 0, hostname: "127.0.0.1", silent: true, gracefulShutdown: false });
    await server.ready();
    const base = server.url!.replace(/\/$/, "");

    expect(await (await fetch(`${base}/api/hello`)).json()).toEqual({ from: "nitrokit" });
    expect(await (await fetch(`${base}/legacy/hello`)).json()).toEqual({ from: "hono", path: "/hello" });
    expect(await (await fetch(`${base}/h3/ping`)).json()).toEqual({ pong: true });
    expect(await (await fetch(`${base}/hello`)).json()).toEqual({ from: "hono", path: "/hello" });

    const echo = await fetch(`${base}/legacy/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ over: "http" }),
    });
    expect(await echo.json()).toEqual({ from: "hono", body: { over: "http" } });
  });
});
