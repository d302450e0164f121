import { describe, expect, it, vi } from "vitest";
import { definePlugin } from "../../src/index.js";
import { defineHandler, defineMiddleware, H3, readBody } from "../../src/h3.js";
import { appsClosedAfterEach, json, request, sleep } from "../helpers.js";

const makeApp = appsClosedAfterEach();

describe("route registration", () => {
  it("serves every method helper and route params", async () => {
    const app = makeApp();
    app.get("/items/:id", defineHandler((event) => ({ method: "get", id: event.context.params?.id })));
    app.post("/items", defineHandler(async (event) => ({ method: "post", body: await readBody(event) })));
    app.put("/items/:id", defineHandler(() => ({ method: "put" })));
    app.patch("/items/:id", defineHandler(() => ({ method: "patch" })));
    app.delete("/items/:id", defineHandler(() => ({ method: "delete" })));
    app.options("/items", defineHandler(() => ({ method: "options" })));
    app.all("/any", defineHandler((event) => ({ method: event.req.method })));

    expect(await (await request(app, "/items/7")).json()).toEqual({ method: "get", id: "7" });
    expect(await (await request(app, "/items", json({ a: 1 }))).json()).toEqual({ method: "post", body: { a: 1 } });
    for (const method of ["put", "patch", "delete"]) {
      expect(await (await request(app, "/items/7", { method: method.toUpperCase() })).json()).toEqual({ method });
    }
    expect(await (await request(app, "/items", { method: "OPTIONS" })).json()).toEqual({ method: "options" });
    expect(await (await request(app, "/any", { method: "PATCH" })).json()).toEqual({ method: "PATCH" });
  });

  it("answers HEAD from the GET handler without a body", async () => {
    const app = makeApp().get("/hello", defineHandler(() => ({ ok: true })));
    const res = await request(app, "/hello", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });

  it("fetch works unbound, as `export default { fetch: app.fetch }` passes it", async () => {
    const app = makeApp().get("/hello", () => ({ ok: true }));
    const { fetch } = app;
    expect(await (await fetch(new Request("http://localhost/hello"))).json()).toEqual({ ok: true });
  });

  it("registration methods chain and return the app", () => {
    const app = makeApp();
    const chained = app.get("/a", () => "a").post("/b", () => "b");
    expect(chained).toBe(app);
  });

  it("loads a lazy handler on its first request, once", async () => {
    const app = makeApp();
    let loads = 0;
    app.route({
      route: "/lazy",
      method: "get",
      lazy: true,
      handler: async () => {
        loads++;
        await sleep(10);
        return { default: defineHandler(() => ({ lazy: true })) };
      },
    });
    expect(loads).toBe(0);
    const responses = await Promise.all([request(app, "/lazy"), request(app, "/lazy"), request(app, "/lazy")]);
    for (const res of responses) expect(await res.json()).toEqual({ lazy: true });
    await request(app, "/lazy");
    expect(loads).toBe(1);
  });

  it("registers Nitro-style handlers from config, including middleware ones", async () => {
    const app = makeApp({
      handlers: [
        { route: "/api", middleware: true, handler: defineMiddleware((event) => void (event.context.tagged = true)) },
        { route: "/api/tagged", method: "get", handler: defineHandler((event) => ({ tagged: event.context.tagged === true })) },
        { route: "/open", handler: defineHandler((event) => ({ tagged: event.context.tagged === true })) },
      ],
    });
    expect(await (await request(app, "/api/tagged")).json()).toEqual({ tagged: true });
    expect(await (await request(app, "/open")).json()).toEqual({ tagged: false });
  });

  it("prefixes every route with baseURL", async () => {
    const app = makeApp({ baseURL: "/app/" });
    app.get("/api/hello", () => ({ hello: true }));
    app.get("/", () => "root");
    expect((await request(app, "/app/api/hello")).status).toBe(200);
    expect(await (await request(app, "/app")).text()).toBe("root");
    expect((await request(app, "/api/hello")).status).toBe(404);
  });

  it("rejects a path that does not start with '/' and a handler that is not one", () => {
    const app = makeApp();
    expect(() => app.get("api/x", () => 1)).toThrow(/must start with '\/'/);
    expect(() => app.get("/x", 42 as never)).toThrow(/handler must be/);
  });

  it("serves an H3 app or fetch handler as a route handler", async () => {
    const app = makeApp();
    const sub = new H3().get("/sub", () => ({ from: "h3" }));
    app.get("/sub", sub);
    app.get("/fetchable", { fetch: () => Response.json({ from: "fetch" }) });
    expect(await (await request(app, "/sub")).json()).toEqual({ from: "h3" });
    expect(await (await request(app, "/fetchable")).json()).toEqual({ from: "fetch" });
  });
});

describe("middleware", () => {
  it("runs global middleware in registration order before the handler", async () => {
    const app = makeApp({ middleware: [defineMiddleware((event) => void (event.context.order = ["config"]))] });
    app.use(defineMiddleware((event) => void (event.context.order as string[]).push("first")));
    app.use(defineMiddleware((event) => void (event.context.order as string[]).push("second")));
    app.get("/order", (event) => event.context.order);
    expect(await (await request(app, "/order")).json()).toEqual(["config", "first", "second"]);
  });

  it("scopes path middleware and lets middleware answer early", async () => {
    const app = makeApp();
    app.use("/admin", defineMiddleware(() => new Response("denied", { status: 401 })));
    app.get("/admin/panel", () => "secret");
    app.get("/public", () => "hello");
    const denied = await request(app, "/admin/panel");
    expect(denied.status).toBe(401);
    expect(await denied.text()).toBe("denied");
    expect(await (await request(app, "/public")).text()).toBe("hello");
  });

  it("supports onion-style middleware around the handler", async () => {
    const app = makeApp();
    app.use(async (event, next) => {
      const res = (await next()) as Response;
      res.headers.set("x-wrapped", "yes");
      return res;
    });
    app.get("/wrapped", () => Response.json({ ok: true }));
    const res = await request(app, "/wrapped");
    expect(res.headers.get("x-wrapped")).toBe("yes");
  });
});

describe("plugins and ready()", () => {
  it("runs plugins in order, awaiting async ones, once", async () => {
    const seen: string[] = [];
    const app = makeApp({ plugins: [() => void seen.push("config")] });
    app.plugin(definePlugin(async () => {
      await sleep(20);
      seen.push("slow");
    }));
    app.plugin(definePlugin(() => void seen.push("fast")));
    await Promise.all([app.ready(), app.ready()]);
    await app.ready();
    expect(seen).toEqual(["config", "slow", "fast"]);
  });

  it("fails ready() naming the plugin that threw, and refuses requests with 503", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const app = makeApp();
    app.plugin(function databaseInit() {
      throw new Error("connection refused");
    });
    await expect(app.ready()).rejects.toThrow(/Plugin 'databaseInit' failed in ready\(\): connection refused/);
    const res = await request(app, "/anything");
    expect(res.status).toBe(503);
    expect(JSON.stringify(await res.json())).not.toMatch(/connection refused/);
  });

  it("names an anonymous failing plugin by position", async () => {
    const app = makeApp();
    app.plugin(() => {});
    app.plugin(
      definePlugin(async () => {
        throw new Error("boom");
      }),
    );
    await expect(app.ready()).rejects.toThrow(/Plugin #2 failed/);
  });

  it("calls ready() on the first request when nobody did", async () => {
    const app = makeApp();
    app.plugin((nitro) => void nitro.hooks.hook("request", (event) => void (event.context.plugged = true)));
    app.get("/plugged", (event) => ({ plugged: event.context.plugged === true }));
    expect(await (await request(app, "/plugged")).json()).toEqual({ plugged: true });
  });

  it("runs a plugin added after ready() at once", async () => {
    const app = makeApp();
    await app.ready();
    let ran = false;
    app.plugin(() => void (ran = true));
    await sleep(0);
    expect(ran).toBe(true);
  });
});

describe("close()", () => {
  it("fires the close hook once, is idempotent, and answers 503 afterwards", async () => {
    const app = makeApp().get("/x", () => "x");
    const close = vi.fn();
    app.hooks.hook("close", close);
    await app.ready();
    await Promise.all([app.close(), app.close()]);
    await app.close();
    expect(close).toHaveBeenCalledTimes(1);
    expect((await request(app, "/x")).status).toBe(503);
  });
});
