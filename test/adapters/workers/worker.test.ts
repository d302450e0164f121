import { afterEach, describe, expect, it, vi } from "vitest";
import { defineHandler, readBody } from "../../../src/h3.js";
import { useRuntimeConfig } from "../../../src/runtime-config.js";
import { useStorage } from "../../../src/storage/index.js";
import { defineCachedHandler } from "../../../src/cache/index.js";
import { defineTask } from "../../../src/tasks/index.js";
import { toWorker } from "../../../src/adapters/workers.js";
import { appsClosedAfterEach } from "../../helpers.js";

// toWorker() in-process, with the env, ctx and bindings a Worker gets; test/runtimes runs the real workerd.
const createApp = appsClosedAfterEach();

/** An ExecutionContext that records what it was asked to wait for. */
function executionContext() {
  const waited: Promise<unknown>[] = [];
  return { waited, waitUntil: (promise: Promise<unknown>) => void waited.push(promise) };
}

/** A KV namespace binding backed by a Map (get/put/delete/list, as unstorage's driver calls them). */
function kvBinding() {
  const data = new Map<string, string>();
  return {
    data,
    get: async (key: string) => data.get(key) ?? null,
    put: async (key: string, value: string) => void data.set(key, value),
    delete: async (key: string) => void data.delete(key),
    list: async ({ prefix = "" }: { prefix?: string } = {}) => ({ keys: [...data.keys()].filter((k) => k.startsWith(prefix)).map((name) => ({ name })), list_complete: true }),
  };
}

const request = (path: string, init?: RequestInit) => new Request(`https://worker.example${path}`, init);

afterEach(() => {
  delete (globalThis as { __env__?: unknown }).__env__;
});

describe("toWorker: fetch", () => {
  it("overlays each request's env on runtime config, with and without the event", async () => {
    const app = createApp({ runtimeConfig: { apiBase: "http://dev", public: { flag: false } } });
    app.get("/config", defineHandler((event) => ({ withEvent: useRuntimeConfig(event).apiBase, withoutEvent: useRuntimeConfig().apiBase, flag: useRuntimeConfig(event).public?.flag })));
    const worker = toWorker(app);
    const ctx = executionContext();
    const a = await worker.fetch(request("/config"), { NITRO_API_BASE: "https://a", NITRO_PUBLIC_FLAG: "true" }, ctx);
    const b = await worker.fetch(request("/config"), { NITRO_API_BASE: "https://b" }, ctx);
    expect(await a.json()).toEqual({ withEvent: "https://a", withoutEvent: "https://a", flag: true });
    expect(await b.json()).toEqual({ withEvent: "https://b", withoutEvent: "https://b", flag: false });
  });

  it("gives handlers event.context.cloudflare, event.runtime and the client IP, and event.waitUntil reaches ctx.waitUntil", async () => {
    const app = createApp();
    app.post("/info", defineHandler(async (event) => {
      event.waitUntil(Promise.resolve("later"));
      const cloudflare = event.context.cloudflare as { env: Record<string, unknown> };
      return { body: await readBody(event), binding: cloudflare.env.NAME, runtime: event.runtime?.name, ip: event.req.headers.get("cf-connecting-ip") && (event.req as { ip?: string }).ip };
    }));
    const ctx = executionContext();
    const res = await toWorker(app).fetch(request("/info", { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": "203.0.113.9" }, body: '{"a":1}' }), { NAME: "bound" }, ctx);
    expect(await res.json()).toEqual({ body: { a: 1 }, binding: "bound", runtime: "cloudflare", ip: "203.0.113.9" });
    expect(await Promise.all(ctx.waited)).toContain("later");
  });

  it("hands cache writes to ctx.waitUntil (the isolate stays alive until they land)", async () => {
    const app = createApp();
    app.get("/cached", defineCachedHandler(() => ({ at: Math.random() }), { maxAge: 60, name: "worker-cached" }));
    const worker = toWorker(app);
    const ctx = executionContext();
    const first = await (await worker.fetch(request("/cached"), {}, ctx)).json();
    expect(ctx.waited.length).toBeGreaterThan(0);
    await Promise.all(ctx.waited);
    expect(await (await worker.fetch(request("/cached"), {}, executionContext())).json()).toEqual(first);
  });

  it("answers 413 as JSON for a body over maxRequestBodySize", async () => {
    const app = createApp({ maxRequestBodySize: 16 });
    app.post("/echo", defineHandler(async (event) => ({ got: await readBody(event) })));
    const res = await toWorker(app).fetch(request("/echo", { method: "POST", headers: { "content-type": "text/plain" }, body: "x".repeat(64) }), {}, executionContext());
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ status: 413 });
  });

  it("mounts storage on a KV binding named in the config", async () => {
    const app = createApp({ storage: { data: { driver: "cloudflare-kv-binding", binding: "KV" } } });
    app.put("/kv/:key", defineHandler(async (event) => {
      await useStorage("data").setItem(event.context.params!.key!, (await readBody(event)) ?? null);
      return { ok: true };
    }));
    app.get("/kv/:key", defineHandler(async (event) => ({ value: await useStorage("data").getItem(event.context.params!.key!) })));
    const KV = kvBinding();
    const worker = toWorker(app);
    await worker.fetch(request("/kv/greeting", { method: "PUT", headers: { "content-type": "application/json" }, body: '{"hi":1}' }), { KV }, executionContext());
    expect(KV.data.get("greeting")).toBe('{"hi":1}');
    expect(await (await worker.fetch(request("/kv/greeting"), { KV }, executionContext())).json()).toEqual({ value: { hi: 1 } });
  });

  it("names the missing binding when the KV namespace is not bound", async () => {
    const app = createApp({ storage: { data: { driver: "cloudflare-kv-binding", binding: "MISSING_KV" } } });
    app.get("/kv", defineHandler(async () => ({ value: await useStorage("data").getItem("x") })));
    const errors: unknown[] = [];
    app.hooks.hook("error", (error) => void errors.push(error));
    const res = await toWorker(app).fetch(request("/kv"), {}, executionContext());
    expect(res.status).toBe(500);
    expect(String(errors[0])).toContain("MISSING_KV");
  });
});

describe("toWorker: scheduled", () => {
  function scheduledApp(run = vi.fn(async (event: { name: string; payload: unknown; context: Record<string, unknown> }) => ({ name: event.name }))) {
    const app = createApp({ scheduledTasks: { "*/5 * * * *": ["stats:tick", "stats:other"], "0 0 * * *": "stats:nightly" } });
    app.task("stats:tick", defineTask({ run }));
    app.task("stats:other", defineTask({ run }));
    app.task("stats:nightly", defineTask({ run }));
    return { app, run };
  }

  it("runs the tasks listed under the trigger's cron, with { scheduledTime } and context.cloudflare", async () => {
    const { app, run } = scheduledApp();
    const env = { NAME: "bound" };
    const ctx = executionContext();
    await toWorker(app).scheduled({ cron: "*/5  * * * *", scheduledTime: 1_700_000_000_000 }, env, ctx);
    expect(run).toHaveBeenCalledTimes(2);
    expect(run.mock.calls.map(([event]) => event.name).sort()).toEqual(["stats:other", "stats:tick"]);
    const event = run.mock.calls[0]![0] as unknown as { payload: unknown; context: { cloudflare: { env: unknown; context: unknown } } };
    expect(event.payload).toEqual({ scheduledTime: 1_700_000_000_000 });
    expect(event.context.cloudflare).toEqual({ env, context: ctx });
  });

  it("runs a single-name entry, and warns about a trigger no entry lists", async () => {
    const { app, run } = scheduledApp();
    const worker = toWorker(app);
    await worker.scheduled({ cron: "0 0 * * *", scheduledTime: 1 }, {}, executionContext());
    expect(run).toHaveBeenCalledTimes(1);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await worker.scheduled({ cron: "1 2 3 4 5", scheduledTime: 1 }, {}, executionContext());
    expect(run).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toContain("'1 2 3 4 5' matches no scheduledTasks entry");
  });

  it("fails the invocation when a task fails, after reporting it to the error hook", async () => {
    const { app } = scheduledApp(vi.fn(async () => {
      throw new Error("tick failed");
    }));
    const reported: string[][] = [];
    app.hooks.hook("error", (_error, context) => void reported.push(context.tags ?? []));
    await expect(toWorker(app).scheduled({ cron: "*/5 * * * *", scheduledTime: 1 }, {}, executionContext())).rejects.toThrow(/2 of 2 scheduled task/);
    expect(reported).toContainEqual(["task", "stats:tick"]);
  });

  it("arms no timers of its own: cron triggers are the scheduler", async () => {
    vi.useFakeTimers();
    try {
      const { app, run } = scheduledApp();
      toWorker(app);
      await app.ready();
      expect(vi.getTimerCount()).toBe(0);
      vi.advanceTimersByTime(10 * 60_000);
      expect(run).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("toWorker: database", () => {
  it("the default sqlite connection is D1 on workerd", async () => {
    const { embeddedSqliteConnector } = await import("../../../src/database/connectors.js");
    vi.stubGlobal("navigator", { userAgent: "Cloudflare-Workers" });
    try {
      expect(embeddedSqliteConnector()).toBe("cloudflare-d1");
    } finally {
      vi.unstubAllGlobals();
    }
    // The query itself runs against a real D1 in test/runtimes (workerd, binding DB).
  });

  it("answers D1's dialect and capabilities (no transactions) before its connector has loaded", async () => {
    const { createDatabase } = await import("db0");
    const { default: d1 } = await import("db0/connectors/cloudflare-d1");
    const loaded = createDatabase(d1({ bindingName: "DB" }));
    vi.stubGlobal("navigator", { userAgent: "Cloudflare-Workers" });
    try {
      const db = createApp().database();
      expect({ connector: db.connector, dialect: db.dialect, capabilities: db.capabilities }).toEqual({
        connector: "cloudflare-d1",
        dialect: loaded.dialect,
        capabilities: loaded.capabilities,
      });
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
