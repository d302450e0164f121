import { describe, expect, it, vi } from "vitest";
import { definePlugin } from "../../src/index.js";
import { defineHandler, defineMiddleware, defineWebSocketHandler, getRouterParam, type H3Event } from "../../src/h3.js";
import { defineTask, runTask } from "../../src/tasks/index.js";
import { loadModules, registerRoutes, type GlobLoader, type GlobModules } from "../../src/routing/index.js";
import { appsClosedAfterEach, json, request } from "../helpers.js";
import { inMemoryTracing } from "../observability/otel-setup.js";

const createApp = appsClosedAfterEach();

/** A lazy module map whose loaders record which files were imported, in order. */
function lazyModules(defaults: Record<string, unknown>): { modules: Record<string, GlobLoader>; imported: string[] } {
  const imported: string[] = [];
  const modules = Object.fromEntries(
    Object.entries(defaults).map(([file, exported]) => [
      file,
      async () => {
        imported.push(file);
        return { default: exported };
      },
    ]),
  );
  return { modules, imported };
}

const body = async (response: Response) => ({ status: response.status, body: await response.json() });

describe("registerRoutes: routes through app.fetch", () => {
  it("serves each routing convention", async () => {
    const echo = (name: string) => defineHandler((event: H3Event) => ({ name, params: event.context.params ?? null, method: event.req.method }));
    const { modules } = lazyModules({
      "./server/routes/index.ts": echo("index"),
      "./server/routes/api/hello.ts": echo("hello"),
      "./server/routes/api/users/[id].get.ts": echo("user"),
      "./server/routes/api/users.post.ts": echo("create"),
      "./server/routes/api/[...slug].ts": echo("catch-all"),
      "./server/routes/api/posts/[[page]].ts": echo("posts"),
      "./server/routes/api/(admin)/reports.ts": echo("reports"),
      "./server/api/from-api-dir.ts": echo("api dir"),
      "./server/routes/[...].ts": echo("fallback"),
    });
    const app = createApp();
    registerRoutes(app, modules, { root: "./server" });

    expect(await body(await request(app, "/"))).toEqual({ status: 200, body: { name: "index", params: null, method: "GET" } });
    expect((await body(await request(app, "/api/hello"))).body.name).toBe("hello");
    expect((await body(await request(app, "/api/hello", { method: "DELETE" }))).body).toMatchObject({ name: "hello", method: "DELETE" });
    expect((await body(await request(app, "/api/users/123"))).body).toEqual({ name: "user", params: { id: "123" }, method: "GET" });
    // A method-specific route does not answer PUT: the catch-all below it does.
    expect((await body(await request(app, "/api/users/123", { method: "PUT" }))).body).toMatchObject({ name: "catch-all", params: { slug: "users/123" } });
    expect((await body(await request(app, "/api/users", json({ name: "Jane" })))).body.name).toBe("create");
    expect((await body(await request(app, "/api/products/electronics/laptops"))).body).toMatchObject({ name: "catch-all", params: { slug: "products/electronics/laptops" } });
    expect((await body(await request(app, "/api/posts/2"))).body).toMatchObject({ name: "posts", params: { page: "2" } });
    expect((await body(await request(app, "/api/posts"))).body).toMatchObject({ name: "posts", params: {} });
    expect((await body(await request(app, "/api/reports"))).body.name).toBe("reports");
    expect((await body(await request(app, "/api/from-api-dir"))).body.name).toBe("api dir");
    expect((await body(await request(app, "/somewhere/else"))).body).toMatchObject({ name: "fallback", params: { _: "somewhere/else" } });
  });

  it("applies the app's baseURL", async () => {
    const app = createApp({ baseURL: "/app" });
    registerRoutes(app, lazyModules({ "./routes/api/hello.ts": () => "hi" }).modules);
    expect(await (await request(app, "/app/api/hello")).text()).toBe("hi");
    expect((await request(app, "/api/hello")).status).toBe(404);
  });

  it("tells 404 from 405 for files registered after the app has served (the method table is built on first use)", async () => {
    const app = createApp();
    expect((await request(app, "/api/users/1")).status).toBe(404);
    registerRoutes(app, lazyModules({ "./routes/api/users/[id].get.ts": () => "user" }).modules);
    const put = await request(app, "/api/users/1", { method: "PUT" });
    expect([put.status, put.headers.get("allow")]).toEqual([405, "GET, HEAD"]);
    expect((await request(app, "/api/nope")).status).toBe(404);
  });

  it("does not import a route's module before its first request, and imports it once", async () => {
    const { modules, imported } = lazyModules({
      "./routes/a.ts": () => "a",
      "./routes/b.ts": () => "b",
      "./routes/users/[id].ts": (event: H3Event) => getRouterParam(event, "id"),
    });
    const app = createApp();
    registerRoutes(app, modules);
    await app.ready();
    expect(imported).toEqual([]);

    const first = await Promise.all([request(app, "/a"), request(app, "/a"), request(app, "/a")]);
    expect(await Promise.all(first.map((response) => response.text()))).toEqual(["a", "a", "a"]);
    expect(imported).toEqual(["./routes/a.ts"]);
    await request(app, "/a");
    expect(await (await request(app, "/users/7")).text()).toBe("7");
    expect(imported).toEqual(["./routes/a.ts", "./routes/users/[id].ts"]);
  });

  it("serves eager modules (import.meta.glob with eager: true) without loaders", async () => {
    const app = createApp();
    registerRoutes(app, { "./routes/api/hello.ts": { default: defineHandler(() => ({ eager: true })) } });
    expect(await (await request(app, "/api/hello")).json()).toEqual({ eager: true });
  });

  it("accepts loaders that resolve to the default export itself ({ import: 'default' })", async () => {
    const app = createApp();
    registerRoutes(app, { "./routes/direct.ts": async () => defineHandler(() => "direct") });
    expect(await (await request(app, "/direct")).text()).toBe("direct");
  });

  it("registers only the active environment's files (dev from the app's config)", async () => {
    const files = { "./routes/debug.get.dev.ts": () => "dev only", "./routes/live.prod.ts": () => "prod only" };
    const dev = createApp({ dev: true });
    registerRoutes(dev, lazyModules(files).modules);
    expect((await request(dev, "/debug")).status).toBe(200);
    expect((await request(dev, "/live")).status).toBe(404);
    const prod = createApp();
    registerRoutes(prod, lazyModules(files).modules);
    expect((await request(prod, "/debug")).status).toBe(404);
    expect((await request(prod, "/live")).status).toBe(200);
  });

  it("ignores _-prefixed files and never imports them", async () => {
    const { modules, imported } = lazyModules({ "./routes/_helpers.ts": () => "private", "./routes/public.ts": () => "public" });
    const app = createApp();
    const registered = registerRoutes(app, modules);
    expect(registered.ignored).toEqual(["./routes/_helpers.ts"]);
    expect((await request(app, "/_helpers")).status).toBe(404);
    expect(imported).toEqual([]);
  });

  it("registers routes/_ws.ts on /_ws for every method, so upgrade requests and plain GETs reach it", async () => {
    const hooks = { open: vi.fn() };
    const { modules, imported } = lazyModules({ "./routes/_ws.ts": defineWebSocketHandler(hooks) });
    const app = createApp();
    const registered = registerRoutes(app, modules);
    expect(registered.routes).toEqual([{ file: "./routes/_ws.ts", route: "/_ws" }]);
    expect(imported).toEqual([]);

    const upgrade = await request(app, "/_ws", { headers: { connection: "Upgrade", upgrade: "websocket", "sec-websocket-version": "13" } });
    // h3's WebSocket handler answers 426 and hands crossws its hooks; the Node adapter's upgrade path reads them.
    expect(upgrade.status).toBe(426);
    expect((upgrade as Response & { crossws?: unknown }).crossws).toBe(hooks);
    expect((await request(app, "/_ws")).status).toBe(426);
    expect(imported).toEqual(["./routes/_ws.ts"]);
  });
});

const responseJSON = async (app: ReturnType<typeof createApp>, path: string) => (await request(app, path)).json();

describe("registerRoutes: the beforeResponse hook sees file routes' values (their lazy handlers apply it themselves)", () => {
  const files = {
    "./routes/sync.get.ts": async () => ({ default: defineHandler(() => ({ from: "sync" })) }),
    "./routes/async.get.ts": async () => ({ default: defineHandler(async () => ({ from: "async" })) }),
    "./routes/items/[[id]].get.ts": async () => ({ default: defineHandler((event: H3Event) => ({ params: event.context.params })) }),
  };

  it("lets the hook see and replace what a lazy or an eager route returned, sync or async, on the first request and later ones", async () => {
    const app = createApp();
    registerRoutes(app, { ...files, "./routes/eager.get.ts": { default: defineHandler(() => ({ from: "eager" })) } });
    const seen: unknown[] = [];
    app.hooks.hook("beforeResponse", (event, context) => {
      seen.push(context.body);
      context.body = { wrapped: context.body, path: event.url.pathname };
    });
    for (let round = 0; round < 2; round++) {
      expect(await responseJSON(app, "/sync")).toEqual({ wrapped: { from: "sync" }, path: "/sync" });
      expect(await responseJSON(app, "/async")).toEqual({ wrapped: { from: "async" }, path: "/async" });
      expect(await responseJSON(app, "/eager")).toEqual({ wrapped: { from: "eager" }, path: "/eager" });
      // Params are set (for an absent optional one) before the hook or the handler runs.
      expect(await responseJSON(app, "/items")).toEqual({ wrapped: { params: {} }, path: "/items" });
    }
    expect(seen).toHaveLength(8);
  });

  it("checks for a hook on each request: one added after registration (or in a plugin) applies, one removed no longer does", async () => {
    const app = createApp();
    registerRoutes(app, files);
    expect(await responseJSON(app, "/sync")).toEqual({ from: "sync" });
    const unhook = app.hooks.hook("beforeResponse", (_event, context) => {
      context.body = "replaced";
    });
    expect(await (await request(app, "/sync")).text()).toBe("replaced");
    unhook();
    expect(await responseJSON(app, "/sync")).toEqual({ from: "sync" });
  });

  it("reports a hook that throws and answers with the route's value, as for any other route", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const app = createApp();
    registerRoutes(app, files);
    app.get("/plain", () => ({ from: "sync" }));
    const errors: string[] = [];
    app.hooks.hook("error", (error, { tags }) => void errors.push(`${tags?.join(" ")}: ${error.message}`));
    app.hooks.hook("beforeResponse", () => {
      throw new Error("hook failed");
    });
    const viaFile = await request(app, "/sync");
    const viaApp = await request(app, "/plain");
    expect({ status: viaFile.status, body: await viaFile.text() }).toEqual({ status: viaApp.status, body: await viaApp.text() });
    expect(errors).toEqual(["hook beforeResponse: hook failed", "hook beforeResponse: hook failed"]);
  });

  it("registers the lazy handler itself: h3 calls it unwrapped, and the registry names it as the route's source", () => {
    const app = createApp();
    registerRoutes(app, files);
    const [route] = app.h3["~routes"];
    expect(route!.handler.name).toBe("lazyRoute");
    expect(app["~registry"].entries()[0]!.source).toEqual({ handler: route!.handler });
  });

  it("applies the hook of the app the files were registered on when its h3 app is mounted in another", async () => {
    const inner = createApp();
    registerRoutes(inner, files);
    inner.hooks.hook("beforeResponse", (_event, context) => {
      context.body = { inner: context.body };
    });
    const outer = createApp();
    outer.mount("/inner", inner.h3);
    expect(await responseJSON(outer, "/inner/async")).toEqual({ inner: { from: "async" } });
  });

  it("keeps the hook under tracing, which wraps every route handler in a span", async () => {
    const { provider } = inMemoryTracing();
    const app = createApp({ tracing: { tracerProvider: provider } });
    registerRoutes(app, files);
    app.hooks.hook("beforeResponse", (_event, context) => {
      context.body = { traced: context.body };
    });
    await app.ready();
    expect(app.h3["~routes"][0]!.handler.name).toBe("traced");
    expect(await responseJSON(app, "/sync")).toEqual({ traced: { from: "sync" } });
  });
});

describe("registerRoutes: middleware, plugins, tasks", () => {
  it("runs middleware in file-name order, before routes, lazily", async () => {
    const step = (name: string) => defineMiddleware((event: H3Event) => {
      ((event.context.trail as string[] | undefined) ??= []).push(name);
    });
    const { modules, imported } = lazyModules({
      "./middleware/auth.ts": step("auth"),
      "./middleware/2.auth.ts": step("2.auth"),
      "./middleware/1.logger.ts": step("1.logger"),
      "./middleware/3.validate.ts": (event: H3Event, next: () => unknown) => {
        (event.context.trail as string[]).push("3.validate");
        return next();
      },
      "./routes/trail.ts": (event: H3Event) => event.context.trail,
    });
    const app = createApp();
    const registered = registerRoutes(app, modules);
    expect(registered.middleware).toEqual(["./middleware/1.logger.ts", "./middleware/2.auth.ts", "./middleware/3.validate.ts", "./middleware/auth.ts"]);
    await app.ready();
    expect(imported).toEqual([]);
    expect(await (await request(app, "/trail")).json()).toEqual(["1.logger", "2.auth", "3.validate", "auth"]);
    expect(await (await request(app, "/trail")).json()).toEqual(["1.logger", "2.auth", "3.validate", "auth"]);
    expect(imported.filter((file) => file.startsWith("./middleware/"))).toHaveLength(4);
  });

  it("lets a middleware answer the request", async () => {
    const { modules } = lazyModules({
      "./middleware/guard.ts": defineMiddleware((event: H3Event) => (event.url.pathname === "/blocked" ? new Response("stop", { status: 403 }) : undefined)),
      "./routes/blocked.ts": () => "reached",
    });
    const app = createApp();
    registerRoutes(app, modules);
    const response = await request(app, "/blocked");
    expect([response.status, await response.text()]).toEqual([403, "stop"]);
  });

  it("runs plugins in file-name order in ready()", async () => {
    const order: string[] = [];
    const { modules, imported } = lazyModules({
      "./plugins/2.second.ts": definePlugin(() => void order.push("second")),
      "./plugins/1.first.ts": definePlugin(async (nitroApp) => {
        order.push("first");
        nitroApp.hooks.hook("request", (event) => {
          event.context.fromPlugin = true;
        });
      }),
      "./routes/check.ts": (event: H3Event) => ({ fromPlugin: event.context.fromPlugin }),
    });
    const app = createApp();
    registerRoutes(app, modules);
    expect(imported).toEqual([]);
    await app.ready();
    expect(order).toEqual(["first", "second"]);
    expect(await (await request(app, "/check")).json()).toEqual({ fromPlugin: true });
  });

  it("registers tasks/db/migrate.ts as db:migrate, imported on its first run", async () => {
    const { modules, imported } = lazyModules({
      "./tasks/db/migrate.ts": defineTask({
        meta: { name: "db:migrate", description: "Run database migrations" },
        run: ({ payload }) => ({ migrated: true, payload }),
      }),
      "./routes/api/migrate.post.ts": () => runTask("db:migrate", { payload: { by: "route" } }),
    });
    const app = createApp();
    registerRoutes(app, modules);
    await app.ready();
    expect(imported).toEqual([]);
    expect(await (await request(app, "/api/migrate", { method: "POST" })).json()).toEqual({ migrated: true, payload: { by: "route" } });
    expect(imported).toEqual(["./routes/api/migrate.post.ts", "./tasks/db/migrate.ts"]);
  });

  it("lists a lazy task's description before its first run, importing its module once", async () => {
    let runs = 0;
    const { modules, imported } = lazyModules({
      "./tasks/db/migrate.ts": defineTask({ meta: { description: "Run database migrations" }, run: () => ++runs }),
      "./tasks/cache/warm.ts": defineTask({ run: () => "warm" }),
    });
    const app = createApp();
    registerRoutes(app, modules);
    await app.ready();
    expect(imported).toEqual([]);
    expect(await app.listTasks()).toEqual({ "db:migrate": { description: "Run database migrations" }, "cache:warm": { description: "" } });
    expect(await app.listTasks()).toEqual({ "db:migrate": { description: "Run database migrations" }, "cache:warm": { description: "" } });
    expect(imported.sort()).toEqual(["./tasks/cache/warm.ts", "./tasks/db/migrate.ts"]);
    expect(runs).toBe(0);
    expect(await app.runTask("db:migrate")).toBe(1);
    expect(imported).toHaveLength(2);
  });

  it("a lazy task whose module fails to load makes the listing reject, naming the file", async () => {
    const app = createApp();
    registerRoutes(app, { "./tasks/broken.ts": async () => { throw new Error("syntax error somewhere"); } });
    await app.ready();
    await expect(app.listTasks()).rejects.toThrow(/Could not load \.\/tasks\/broken\.ts: syntax error somewhere/);
  });

  it("lists an eager task's description at once", async () => {
    const app = createApp();
    registerRoutes(app, { "./tasks/cms/update.ts": { default: defineTask({ meta: { description: "Update CMS" }, run: () => "ok" }) } });
    expect(await app.listTasks()).toEqual({ "cms:update": { description: "Update CMS" } });
    expect(await app.runTask("cms:update")).toBe("ok");
  });
});

describe("registerRoutes: errors", () => {
  it("refuses duplicates before registering anything", async () => {
    const { modules, imported } = lazyModules({ "./routes/api/users.get.ts": () => 1, "./api/users.get.ts": () => 2, "./routes/other.ts": () => 3 });
    const app = createApp();
    expect(() => registerRoutes(app, modules)).toThrow("Two files answer GET /api/users: ./api/users.get.ts and ./routes/api/users.get.ts");
    expect((await request(app, "/other")).status).toBe(404);
    expect(imported).toEqual([]);
  });

  it.each([
    ["./routes/a.ts", { named: () => "x" }, "./routes/a.ts has no default export"],
    ["./routes/a.ts", { default: 42 }, "./routes/a.ts: the default export is not a handler (got number)"],
    ["./middleware/m.ts", { default: { nope: true } }, "./middleware/m.ts: the default export is not a handler (got an object with keys nope)"],
    ["./plugins/p.ts", { default: "x" }, "./plugins/p.ts: the default export is not a plugin (got string)"],
    ["./tasks/t.ts", { default: { meta: {} } }, "./tasks/t.ts: the default export is not a task"],
  ])("names the eager module %s whose default export is wrong", async (file, module, message) => {
    const app = createApp();
    expect(() => registerRoutes(app, { [file]: module, "./routes/other.ts": { default: () => "other" } })).toThrow(message);
    expect((await request(app, "/other")).status).toBe(404);
  });

  it("refuses a map value that is neither a module nor a loader", () => {
    expect(() => registerRoutes(createApp(), { "./routes/a.ts": "nope" } as unknown as GlobModules)).toThrow("./routes/a.ts: expected a module or a loader");
  });

  it("answers 500 and logs the file when a lazy route has no default export", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const app = createApp();
    registerRoutes(app, { "./routes/api/broken.ts": async () => ({ handler: () => "not default" }) });
    const response = await request(app, "/api/broken");
    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).not.toContain("broken.ts");
    const logged = errors.mock.calls.map((args) => args.map(String).join(" ")).join("\n");
    expect(logged).toContain("./routes/api/broken.ts has no default export");
  });

  it("shows the file in dev error responses, and loads again once the module is fixed", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    let attempt = 0;
    const app = createApp({ dev: true });
    registerRoutes(app, {
      "./routes/flaky.ts": async () => {
        if (attempt++ === 0) throw new Error("SyntaxError: Unexpected token");
        return { default: () => "fixed" };
      },
    });
    const failed = await request(app, "/flaky");
    expect(failed.status).toBe(500);
    expect((await failed.json()).message).toBe("[nitrokit] Could not load ./routes/flaky.ts: SyntaxError: Unexpected token");
    expect(await (await request(app, "/flaky")).text()).toBe("fixed");
  });

  it("fails a lazy middleware's requests naming the file", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const app = createApp({ dev: true });
    registerRoutes(app, { "./middleware/bad.ts": async () => ({}), "./routes/a.ts": async () => ({ default: () => "a" }) });
    const response = await request(app, "/a");
    expect(response.status).toBe(500);
    expect((await response.json()).message).toBe("[nitrokit] ./middleware/bad.ts has no default export: export default defineHandler(…) (or definePlugin, defineTask).");
  });

  it("fails ready() naming a lazy plugin file", async () => {
    const app = createApp();
    registerRoutes(app, { "./plugins/broken.ts": async () => ({ default: { not: "a function" } }) });
    await expect(app.ready()).rejects.toThrow("Plugin './plugins/broken.ts' failed in ready(): [nitrokit] ./plugins/broken.ts: the default export is not a plugin");
  });

  it("rejects a lazy task's run naming the file", async () => {
    const app = createApp();
    registerRoutes(app, { "./tasks/db/seed.ts": async () => ({ default: {} }) });
    await expect(app.runTask("db:seed")).rejects.toThrow("./tasks/db/seed.ts: the default export is not a task");
  });

  it("names the file when the app refuses a route", () => {
    const app = createApp();
    vi.spyOn(app, "~fileRoute").mockImplementation(() => {
      throw new Error("boom");
    });
    expect(() => registerRoutes(app, { "./routes/x.get.ts": async () => ({}) })).toThrow("[nitrokit] ./routes/x.get.ts: cannot register GET /x: boom");
    // A pattern the router refuses (a param named twice).
    expect(() => registerRoutes(createApp(), { "./routes/[a]/[a].ts": async () => ({}) })).toThrow(
      /^\[nitrokit\] \.\/routes\/\[a\]\/\[a\]\.ts: cannot register every method on \/:a\/:a: rou3: duplicate param name "a"/,
    );
  });

  it("registers a file route as app.route() would: method, pattern, meta, listing", async () => {
    const viaFiles = createApp();
    const viaRoute = createApp();
    const handler = async () => ({ default: defineHandler({ handler: () => "ok", meta: { from: "module" } }) });
    registerRoutes(viaFiles, { "./routes/api/users/[id].post.ts": handler, "./routes/all.ts": handler });
    const shape = (app: typeof viaFiles) => app.h3["~routes"].map((route) => ({ method: route.method, route: route.route, meta: route.meta }));
    viaRoute.route({ route: "/all", handler: () => "ok" });
    viaRoute.route({ route: "/api/users/:id", method: "post", handler: () => "ok" });
    expect(shape(viaFiles)).toEqual(shape(viaRoute));
    expect(viaFiles["~registry"].entries().map((entry) => ({ method: entry.method, pattern: entry.pattern }))).toEqual([
      { method: "", pattern: "/all" },
      { method: "POST", pattern: "/api/users/:id" },
    ]);
    expect(await (await request(viaFiles, "/api/users/1", { method: "POST" })).text()).toBe("ok");
  });

  it("loadModules imports every loader up front, so a missing default fails at start-up", async () => {
    const { modules, imported } = lazyModules({ "./routes/a.ts": () => "a" });
    const loaded = await loadModules({ ...modules, "./routes/b.ts": async () => ({ other: 1 }), "./routes/c.ts": async () => () => "c" });
    expect(imported).toEqual(["./routes/a.ts"]);
    expect(() => registerRoutes(createApp(), loaded)).toThrow("./routes/b.ts has no default export");
    const app = createApp();
    registerRoutes(app, { "./routes/c.ts": loaded["./routes/c.ts"]! });
    expect(await (await request(app, "/c")).text()).toBe("c");
  });
});
