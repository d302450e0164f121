import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:http";
import { tracingChannel } from "node:diagnostics_channel";
import type { AddressInfo } from "node:net";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createNitroApp, type NitroApp } from "nitrokit";
import { defineHandler, HTTPError } from "nitrokit/h3";
import { defineCachedFunction, defineCachedHandler } from "nitrokit/cache";
import { useStorage } from "nitrokit/storage";
import { useDatabase } from "nitrokit/database";
import { serve, type NitroNodeServer } from "nitrokit/node";
import { inMemoryTracing, spanTree } from "./otel-setup.js";
import { connect } from "../fixtures/ws-client.js";

let rootDir: string;
const apps: NitroApp[] = [];
const servers: NitroNodeServer[] = [];
beforeEach(async () => {
  rootDir = await mkdtemp(join(tmpdir(), "nitrokit-tracing-"));
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(apps.splice(0).map((app) => app.close()));
  await rm(rootDir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

function app(config: Parameters<typeof createNitroApp>[0]): NitroApp {
  const created = createNitroApp({ rootDir, ...config });
  apps.push(created);
  return created;
}

async function listen(served: NitroApp): Promise<string> {
  await served.ready();
  const server = serve(served, { port: 0, hostname: "127.0.0.1", silent: true, gracefulShutdown: false });
  servers.push(server);
  await server.ready();
  return server.url!.replace(/\/$/, "");
}

const byName = (spans: readonly ReadableSpan[], name: string) => {
  const found = spans.filter((span) => span.name === name);
  expect(found, `spans named ${name}: ${spans.map((span) => span.name).join(", ")}`).not.toHaveLength(0);
  return found;
};

describe("tracing: OpenTelemetry spans", () => {
  it("records one request's span tree: middleware, cached function miss then hit, storage, SQL and a $fetch to a second app", async () => {
    const { provider, exporter } = inMemoryTracing();

    // The second app, on its own loopback server: its server span continues the first app's trace.
    const inventory = app({ tracing: { tracerProvider: provider } });
    inventory.get("/stock/:sku", defineHandler((event) => ({ sku: event.context.params!.sku, stock: 7 })));
    const inventoryURL = await listen(inventory);

    const getPrice = defineCachedFunction(async (sku: string) => ({ sku, price: 12 }), { name: "price", maxAge: 60, getKey: (sku: string) => sku });
    const shop = app({ tracing: { tracerProvider: provider } });
    shop.use(function authenticate(event) {
      event.context.user = "ada";
    });
    shop.get(
      "/products/:sku",
      defineHandler(async (event) => {
        const sku = event.context.params!.sku!;
        const price = await getPrice(sku);
        const again = await getPrice(sku);
        const note = await useStorage("data").getItem(`notes:${sku}`);
        const db = useDatabase();
        await db.sql`CREATE TABLE IF NOT EXISTS views (sku TEXT, secret TEXT)`;
        await db.sql`INSERT INTO views (sku, secret) VALUES (${sku}, ${"card-4242"})`;
        const stock = await $fetch<{ stock: number }>(`${inventoryURL}/stock/${sku}`);
        return { price: price.price, again: again.price, note, stock: stock.stock };
      }),
    );
    const shopURL = await listen(shop);

    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const response = await fetch(`${shopURL}/products/p-1?ref=mail`, {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, "user-agent": "tracing-test" },
    });
    expect(await response.json()).toEqual({ price: 12, again: 12, note: null, stock: 7 });
    await provider.forceFlush();
    const spans = exporter.getFinishedSpans();

    expect(spanTree(spans, traceId)).toEqual([
      "GET /products/:sku",
      "  middleware authenticate",
      "  handler GET /products/:sku",
      "    cache price",
      "      storage getItem",
      "      storage setItem",
      "    cache price",
      "      storage getItem",
      "    storage getItem",
      "    CREATE default",
      "    INSERT default",
      "    GET",
      "      GET /stock/:sku",
      "        handler GET /stock/:sku",
    ]);

    // The server span: named by the route pattern, the incoming trace continued, stable HTTP attributes.
    const [server] = byName(spans, "GET /products/:sku");
    expect(server!.kind).toBe(SpanKind.SERVER);
    expect(server!.parentSpanContext?.spanId).toBe("00f067aa0ba902b7");
    expect(server!.attributes).toMatchObject({
      "http.request.method": "GET",
      "url.path": "/products/p-1",
      "url.scheme": "http",
      "http.route": "/products/:sku",
      "http.response.status_code": 200,
      "server.address": "127.0.0.1",
      "user_agent.original": "tracing-test",
      "client.address": "127.0.0.1",
    });

    const [miss, hit] = byName(spans, "cache price").sort((a, b) => a.startTime[1] - b.startTime[1] + (a.startTime[0] - b.startTime[0]) * 1e9);
    expect(miss!.attributes["cache.hit"]).toBe(false);
    expect(hit!.attributes["cache.hit"]).toBe(true);
    expect(byName(spans, "storage getItem")[0]!.attributes).toMatchObject({ "nitrokit.storage.operation": "getItem" });
    expect(spans.find((span) => span.name === "storage getItem" && span.attributes["nitrokit.storage.mount"] === "data")).toBeDefined();

    // SQL: the system and the text with its placeholders; parameter values never reach a span.
    const [insert] = byName(spans, "INSERT default");
    expect(insert!.kind).toBe(SpanKind.CLIENT);
    expect(insert!.attributes).toMatchObject({ "db.system.name": "sqlite", "db.system": "sqlite", "db.operation.name": "INSERT", "db.query.text": "INSERT INTO views (sku, secret) VALUES (?, ?)" });
    expect(JSON.stringify(spans.map((span) => span.attributes))).not.toContain("card-4242");

    // The outgoing call: a client span whose context reached the second app in `traceparent`.
    const [client] = byName(spans, "GET");
    expect(client!.kind).toBe(SpanKind.CLIENT);
    expect(client!.attributes).toMatchObject({ "http.request.method": "GET", "http.response.status_code": 200, "url.full": `${inventoryURL}/stock/p-1` });
    const [downstream] = byName(spans, "GET /stock/:sku");
    expect(downstream!.parentSpanContext?.spanId).toBe(client!.spanContext().spanId);
  });

  it("marks a failed request's server span as an error with the exception event, and names an unmatched one by method", async () => {
    const { provider, exporter } = inMemoryTracing();
    const traced = app({ tracing: { tracerProvider: provider } });
    vi.spyOn(console, "error").mockImplementation(() => {});
    traced.get("/boom", () => {
      throw new TypeError("kaput");
    });
    traced.get("/teapot", () => {
      throw new HTTPError({ status: 418, message: "short and stout" });
    });
    const errors: unknown[] = [];
    traced.hooks.hook("error", (error) => void errors.push(error));
    expect((await traced.fetch(new Request("http://localhost/boom"))).status).toBe(500);
    expect((await traced.fetch(new Request("http://localhost/teapot"))).status).toBe(418);
    expect((await traced.fetch(new Request("http://localhost/nowhere"))).status).toBe(404);

    const [boom] = byName(exporter.getFinishedSpans(), "GET /boom");
    expect(boom!.status.code).toBe(SpanStatusCode.ERROR);
    expect(boom!.attributes).toMatchObject({ "http.response.status_code": 500, "error.type": "500" });
    const exception = boom!.events.find((event) => event.name === "exception");
    expect(exception?.attributes).toMatchObject({ "exception.type": "TypeError", "exception.message": "kaput" });
    // The handler span failed with the same error.
    expect(byName(exporter.getFinishedSpans(), "handler GET /boom")[0]!.status.code).toBe(SpanStatusCode.ERROR);

    const [teapot] = byName(exporter.getFinishedSpans(), "GET /teapot");
    expect(teapot!.status.code).toBe(SpanStatusCode.UNSET);
    // Thrown on purpose with a 4xx: an answer, not a failure, on the handler span too.
    const [teapotHandler] = byName(exporter.getFinishedSpans(), "handler GET /teapot");
    expect(teapotHandler!.status.code).toBe(SpanStatusCode.UNSET);
    expect(teapotHandler!.events).toEqual([]);
    expect(teapot!.attributes["http.response.status_code"]).toBe(418);
    const [unmatched] = byName(exporter.getFinishedSpans(), "GET");
    expect(unmatched!.attributes["http.route"]).toBeUndefined();
    expect(unmatched!.attributes["http.response.status_code"]).toBe(404);
    expect(errors[0]).toBeInstanceOf(TypeError);
  });

  it("carries the trace to a proxy rule's upstream, in place of the traceparent the client sent", async () => {
    const { provider, exporter } = inMemoryTracing();
    const received: Array<string | undefined> = [];
    const upstream = createServer((req, res) => {
      received.push(req.headers.traceparent as string | undefined);
      res.writeHead(200, { "content-type": "text/plain" }).end(`upstream ${req.url}`);
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = upstream.address() as AddressInfo;
      const gateway = app({ tracing: { tracerProvider: provider }, routeRules: { "/api/**": { proxy: { to: `http://127.0.0.1:${port}/**` } } } });
      const clientTrace = "0af7651916cd43dd8448eb211c80319c";
      const response = await gateway.fetch(new Request("http://localhost/api/items", { headers: { traceparent: `00-${clientTrace}-b7ad6b7169203331-01` } }));
      expect(await response.text()).toBe("upstream /items");
      const [proxySpan] = byName(exporter.getFinishedSpans(), "proxy");
      expect(proxySpan!.kind).toBe(SpanKind.CLIENT);
      expect(received).toEqual([`00-${clientTrace}-${proxySpan!.spanContext().spanId}-01`]);
      const [server] = byName(exporter.getFinishedSpans(), "GET");
      expect(proxySpan!.parentSpanContext?.spanId).toBe(server!.spanContext().spanId);
    } finally {
      await new Promise((resolve) => upstream.close(resolve));
    }
  });

  it("traces a WebSocket upgrade through the app and each message with the connection's count, never the content", async () => {
    const { provider, exporter } = inMemoryTracing();
    const chat = app({ tracing: { tracerProvider: provider } });
    chat.websocket("/rooms/:room", {
      message(peer, message) {
        peer.send(`echo ${message.text()}`);
      },
    });
    const base = (await listen(chat)).replace(/^http/, "ws");
    const client = await connect(`${base}/rooms/lobby`);
    client.ws.send("secret-one");
    await client.next((message) => message.raw === "echo secret-one");
    client.ws.send("secret-two");
    await client.next((message) => message.raw === "echo secret-two");
    client.ws.terminate();

    const spans = exporter.getFinishedSpans();
    const [upgrade] = byName(spans, "GET /rooms/:room");
    expect(upgrade!.kind).toBe(SpanKind.SERVER);
    const messages = byName(spans, "websocket message");
    expect(messages.map((span) => span.attributes["nitrokit.websocket.messages"])).toEqual([1, 2]);
    expect(messages[0]!.attributes["http.route"]).toBe("/rooms/:room");
    expect(JSON.stringify(spans.map((span) => span.attributes))).not.toContain("secret");
  });

  it("tells cache hits, misses and stale values served (swr) apart, for cached functions and handlers", async () => {
    const { provider, exporter } = inMemoryTracing();
    let computed = 0;
    const getRate = defineCachedFunction(async (currency: string) => ({ currency, rate: ++computed }), { name: "rate", maxAge: 60, swr: true, getKey: (currency: string) => currency });
    const traced = app({ tracing: { tracerProvider: provider } });
    traced.get("/rate", defineHandler(() => getRate("eur")));
    traced.get("/page", defineCachedHandler(() => ({ page: true }), { name: "page", maxAge: 60 }));
    const get = async (path: string) => (await traced.fetch(new Request(`http://localhost${path}`))).json();

    await get("/rate");
    await get("/rate");
    await getRate.expire("eur");
    expect(await get("/rate")).toEqual({ currency: "eur", rate: 1 }); // the stale value, refreshed in the background
    for (let i = 0; i < 3; i++) await get("/page");

    const statuses = (name: string) =>
      byName(exporter.getFinishedSpans(), name)
        .sort((a, b) => (a.startTime[0] - b.startTime[0]) * 1e9 + (a.startTime[1] - b.startTime[1]))
        .map((span) => [span.attributes["nitrokit.cache.status"], span.attributes["cache.hit"], span.attributes["nitrokit.cache.stale"]]);
    expect(statuses("cache rate")).toEqual([
      ["miss", false, false],
      ["hit", true, false],
      ["stale", true, true],
    ]);
    // The third answer comes from the handler's in-memory copy of a stored hit.
    expect(statuses("cache page")).toEqual([
      ["miss", false, false],
      ["hit", true, false],
      ["hit", true, false],
    ]);
  });

  it("ties request log lines and server spans together when logging is on too", async () => {
    const { provider, exporter } = inMemoryTracing();
    const records: Array<Record<string, unknown>> = [];
    const keep = (record: object) => void records.push(record as Record<string, unknown>);
    const both = app({ tracing: { tracerProvider: provider }, logging: { logger: { info: keep, warn: keep, error: keep } } });
    both.get("/orders/:id", defineHandler((event) => ({ id: event.context.params!.id })));
    await both.fetch(new Request("http://localhost/orders/7", { headers: { "x-request-id": "req-7" } }));
    const [server] = byName(exporter.getFinishedSpans(), "GET /orders/:id");
    expect(server!.attributes["nitrokit.request_id"]).toBe("req-7");
    expect(records).toEqual([expect.objectContaining({ requestId: "req-7", traceId: server!.spanContext().traceId, spanId: server!.spanContext().spanId })]);
  });

  it("traces a task run on demand with its trigger", async () => {
    const { provider, exporter } = inMemoryTracing();
    const traced = app({ tracing: { tracerProvider: provider } });
    traced.task("report:build", { meta: { description: "builds the report" }, run: async () => ({ result: await useStorage("data").getItem("report") }) });
    await traced.runTask("report:build");
    const [task] = byName(exporter.getFinishedSpans(), "task report:build");
    expect(task!.attributes).toMatchObject({ "nitrokit.task.name": "report:build", "nitrokit.task.trigger": "on-demand" });
    const [read] = byName(exporter.getFinishedSpans(), "storage getItem");
    expect(read!.parentSpanContext?.spanId).toBe(task!.spanContext().spanId);
  });

  it("traces scheduled ticks: the instance that won the lock runs the task, the other skips it", async () => {
    const { provider, exporter } = inMemoryTracing();
    const held = new Map<string, string>();
    const lock = {
      async acquire(key: string, token: string) {
        if (held.has(key)) return false;
        held.set(key, token);
        return true;
      },
      async release(key: string, token: string) {
        if (held.get(key) === token) held.delete(key);
      },
    };
    for (let instance = 0; instance < 2; instance++) {
      const scheduled = app({ tracing: { tracerProvider: provider }, scheduledTasks: { "*/1 * * * * *": ["report:build"] }, scheduler: { lock } });
      scheduled.task("report:build", { run: async () => ({ result: instance }) });
      await scheduled.ready();
    }
    const ticks = () => exporter.getFinishedSpans().filter((span) => span.name === "task tick report:build");
    // Both instances reach the same tick: one span says "won", the other "skipped".
    await vi.waitFor(
      () => {
        const byTime = new Map<unknown, unknown[]>();
        for (const tick of ticks()) byTime.set(tick.attributes["nitrokit.task.scheduled_time"], [...(byTime.get(tick.attributes["nitrokit.task.scheduled_time"]) ?? []), tick.attributes["nitrokit.task.lock"]]);
        expect([...byTime.values()].some((locks) => [...locks].sort().join() === "skipped,won")).toBe(true);
      },
      { timeout: 5000, interval: 50 },
    );
    const won = ticks().find((tick) => tick.attributes["nitrokit.task.lock"] === "won")!;
    const run = exporter.getFinishedSpans().find((span) => span.name === "task report:build" && span.parentSpanContext?.spanId === won.spanContext().spanId);
    expect(run?.attributes).toMatchObject({ "nitrokit.task.name": "report:build", "nitrokit.task.trigger": "scheduled" });
    const skipped = ticks().find((tick) => tick.attributes["nitrokit.task.lock"] === "skipped")!;
    expect(exporter.getFinishedSpans().some((span) => span.parentSpanContext?.spanId === skipped.spanContext().spanId)).toBe(false);
  });

  it("publishes middleware and handler calls on h3's h3.request tracing channel, as h3's tracing plugin does", async () => {
    const { provider } = inMemoryTracing();
    const seen: Array<{ type: string; path: string }> = [];
    const channel = tracingChannel<{ type: string; event: { url: URL } }>("h3.request");
    const subscribers = { start: (message: { type: string; event: { url: URL } }) => void seen.push({ type: message.type, path: message.event.url.pathname }), end() {}, asyncStart() {}, asyncEnd() {}, error() {} };
    channel.subscribe(subscribers);
    try {
      const traced = app({ tracing: { tracerProvider: provider } });
      traced.use(function audit() {});
      traced.get("/audited", () => "ok");
      expect(await (await traced.fetch(new Request("http://localhost/audited"))).text()).toBe("ok");
    } finally {
      channel.unsubscribe(subscribers);
    }
    expect(seen).toEqual([
      { type: "middleware", path: "/audited" },
      { type: "route", path: "/audited" },
    ]);
  });

  it("gives a path-scoped middleware a span only on the requests it applies to", async () => {
    const { provider, exporter } = inMemoryTracing();
    const traced = app({ tracing: { tracerProvider: provider } });
    traced.use("/admin", function adminOnly(event) {
      event.context.admin = true;
    });
    traced.get("/admin/users", defineHandler((event) => ({ admin: event.context.admin === true })));
    traced.get("/public", defineHandler((event) => ({ admin: event.context.admin === true })));
    await traced.ready();
    // Registered after tracing started: wrapped the same way.
    traced.use("/late", function lateOnly() {});
    traced.get("/late/x", () => "late");
    expect(await (await traced.fetch(new Request("http://localhost/public"))).json()).toEqual({ admin: false });
    expect(await (await traced.fetch(new Request("http://localhost/admin/users"))).json()).toEqual({ admin: true });
    expect(await (await traced.fetch(new Request("http://localhost/late/x"))).text()).toBe("late");
    const middlewareSpans = exporter
      .getFinishedSpans()
      .filter((span) => span.name.startsWith("middleware "))
      .map((span) => `${span.name} ${span.attributes["http.route"]}`);
    expect(middlewareSpans).toEqual(["middleware adminOnly /admin/users", "middleware lateOnly /late/x"]);
  });

  it("keeps what each route was registered with while its handler is wrapped in a span: 405 beside the server entry, lazy routes, route meta", async () => {
    const { provider } = inMemoryTracing();
    const traced = app({
      tracing: { tracerProvider: provider },
      openAPI: true,
      serverEntry: defineHandler(() => undefined),
      handlers: [{ route: "/api/lazy", method: "get", lazy: true, handler: async () => defineHandler(() => ({ lazy: true })) }],
    });
    traced.get("/api/hello", defineHandler(() => ({ hello: true })));
    const routes = await import("nitrokit/routing");
    routes.registerRoutes(traced, {
      "./routes/api/documented.get.ts": async () => {
        const { defineRouteMeta } = await import("nitrokit");
        defineRouteMeta({ openAPI: { summary: "Documented under tracing" } });
        return { default: defineHandler(() => ({ documented: true })) };
      },
    });
    await traced.ready();
    // Tracing has replaced every route's handler in h3's list by now.
    expect(traced.h3["~routes"].every((route) => route.handler.name === "traced")).toBe(true);

    // The server entry catches every path but proves none: POST to a GET route is still a 405.
    const wrongMethod = await traced.fetch(new Request("http://localhost/api/hello", { method: "POST" }));
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toContain("GET");
    const sources = traced["~registry"].entries().map(({ method, pattern, source }) => ({ method, pattern, lazy: source.lazy, catchAll: source.catchAll }));
    expect(sources).toEqual(
      expect.arrayContaining([
        { method: "GET", pattern: "/api/lazy", lazy: true, catchAll: undefined },
        expect.objectContaining({ pattern: "/**", catchAll: true }),
      ]),
    );
    // A file route's meta, declared when its module is imported, still reaches the OpenAPI document.
    const document = (await (await traced.fetch(new Request("http://localhost/_openapi.json"))).json()) as { paths: Record<string, { get?: { summary?: string } }> };
    expect(document.paths["/api/documented"]?.get?.summary).toBe("Documented under tracing");
    expect(document.paths["/**"]).toBeUndefined();
  });

  it("warns about an option it does not know inside tracing", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    app({ tracing: { tracerProvder: {} } as never });
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/tracing\.tracerProvder is not a nitrokit or Nitro option \(did you mean 'tracerProvider'\?\)/);
  });

  it("lets go of the process when the app closes: the features stop tracing", async () => {
    const { provider, exporter } = inMemoryTracing();
    const getValue = defineCachedFunction(async () => 1, { name: "value", maxAge: 60 });
    const traced = app({ tracing: { tracerProvider: provider } });
    traced.get("/value", defineHandler(() => getValue()));
    await traced.fetch(new Request("http://localhost/value"));
    expect(byName(exporter.getFinishedSpans(), "cache value")).toHaveLength(1);
    await traced.close();
    const untraced = app({});
    untraced.get("/value", defineHandler(() => getValue()));
    await untraced.fetch(new Request("http://localhost/value"));
    expect(byName(exporter.getFinishedSpans(), "cache value")).toHaveLength(1);
  });

  it("refuses a tracing config it cannot use, naming the key", () => {
    expect(() => createNitroApp({ tracing: { tracerProvider: {} as never } })).toThrow(/tracing\.tracerProvider: expected an OpenTelemetry TracerProvider/);
    expect(() => createNitroApp({ tracing: "yes" as never })).toThrow(/tracing: expected true, false or \{ api\?, tracerProvider/);
  });
});
