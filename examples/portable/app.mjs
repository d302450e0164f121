// One app, every runtime: the entry files beside this one only serve it.
import { createNitroApp } from "nitrokit";
import { createError, defineHandler, getQuery, getRequestIP, getRequestURL, getRouterParam, readBody } from "nitrokit/h3";
import { useRuntimeConfig } from "nitrokit/runtime-config";
import { useStorage } from "nitrokit/storage";
import { useDatabase } from "nitrokit/database";
import { defineCachedHandler } from "nitrokit/cache";
import { defineTask, runTask } from "nitrokit/task";

const env = globalThis.process?.env ?? {};

/** Which runtime runs this code, as the routes report it. */
export function runtimeName() {
  if (globalThis.Bun) return "bun";
  if (globalThis.Deno) return "deno";
  if (globalThis.navigator?.userAgent === "Cloudflare-Workers") return "workerd";
  return "node";
}

/**
 * The portable app. `config` is merged into the app config: an entry adds what only its
 * runtime has (the Workers entry mounts `data` on a KV binding).
 */
export function createPortableApp(config = {}) {
  const app = createNitroApp({
    runtimeConfig: { greeting: "Hello", public: { name: "portable" } },
    // Workers fire cron triggers; elsewhere the app's own scheduler does. PORTABLE_TICK_CRON speeds it up in tests.
    scheduledTasks: { [env.PORTABLE_TICK_CRON || "*/5 * * * *"]: ["stats:tick"] },
    // The production rules, on one route: compressed, tagged, limited, with security headers.
    // And a `headers` rule on the user routes, as most apps have one.
    routeRules: {
      "/api/report": { compress: true, etag: true, securityHeaders: true, rateLimit: { max: 1000, window: 60 } },
      "/api/users/**": { headers: { "x-served-by": "portable" } },
    },
    ...config,
  });

  app.get("/api/hello", defineHandler((event) => ({ message: useRuntimeConfig(event).greeting, runtime: runtimeName() })));

  app.get("/api/users/:id", defineHandler((event) => ({ id: getRouterParam(event, "id") })));
  // The client's address and the URL it asked for: behind a trusted proxy (serve's trustProxy), from X-Forwarded-*.
  app.get("/api/whoami", defineHandler((event) => ({ ip: getRequestIP(event), url: getRequestURL(event).href })));

  app.post("/api/echo", defineHandler(async (event) => {
    const body = await readBody(event);
    if (!body || typeof body !== "object") throw createError({ status: 400, message: "Send a JSON object." });
    return { received: body };
  }));

  // An unhandled error: the client gets a bare 500, the message stays in the server log.
  app.get("/api/fail", defineHandler(() => {
    throw new Error("database password is hunter2");
  }));

  app.put("/api/kv/:key", defineHandler(async (event) => {
    await useStorage("data").setItem(`kv:${getRouterParam(event, "key")}`, await readBody(event));
    return { stored: true };
  }));
  app.get("/api/kv/:key", defineHandler(async (event) => ({ value: await useStorage("data").getItem(`kv:${getRouterParam(event, "key")}`) })));

  app.get("/api/cached", defineCachedHandler(() => ({ computedAt: Date.now(), nonce: Math.random() }), {
    name: "portable-cached",
    maxAge: 60,
    cacheStatusHeader: "x-cache",
  }));

  // The runtime's own SQLite: bun:sqlite, node:sqlite (Deno, Node ≥ 22.13), libSQL (Node 20), D1 (Workers).
  app.post("/api/visits", defineHandler(async () => {
    const db = useDatabase();
    await db.sql`CREATE TABLE IF NOT EXISTS visits (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL)`;
    await db.sql`INSERT INTO visits (at) VALUES (${Date.now()})`;
    const { rows } = await db.sql`SELECT COUNT(*) AS count FROM visits`;
    return { visits: Number(rows[0].count), dialect: db.dialect };
  }));

  // ~6 kB of JSON, under the production rules above.
  app.get("/api/report", defineHandler(() => ({ rows: Array.from({ length: 120 }, (_, id) => ({ id, label: `row ${id}`, runtime: runtimeName() })) })));

  // Slow on purpose: graceful shutdown lets it finish.
  app.get("/api/slow", defineHandler(async (event) => {
    const ms = Math.min(Number(getQuery(event).ms) || 500, 5000);
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { waited: ms };
  }));

  // Work after the response: the runtime keeps it alive (Workers: ctx.waitUntil).
  app.post("/api/background", defineHandler((event) => {
    const token = getQuery(event).token;
    event.waitUntil(new Promise((resolve) => setTimeout(resolve, 200)).then(() => useStorage("data").setItem("background:last", { token })));
    return { accepted: token };
  }));
  app.get("/api/background", defineHandler(async () => ({ last: await useStorage("data").getItem("background:last") })));

  // Numbers the requests to the WebSocket route as middleware sees them: an upgrade runs the
  // middleware once, and its peer gets the event's context (peer.context).
  let webSocketRequests = 0;
  app.use((event) => {
    if (event.url.pathname === "/_ws") event.context.webSocketRequest = ++webSocketRequests;
  });

  app.websocket("/_ws", {
    open(peer) {
      peer.send(JSON.stringify({ welcome: runtimeName(), request: peer.context.webSocketRequest }));
    },
    message(peer, message) {
      peer.send(message.text());
    },
  });

  app.task("stats:tick", defineTask({
    meta: { description: "Counts scheduled ticks" },
    async run({ payload }) {
      const storage = useStorage("data");
      const previous = (await storage.getItem("ticks:last")) ?? { count: 0 };
      const last = { count: previous.count + 1, scheduledTime: payload.scheduledTime ?? null };
      await storage.setItem("ticks:last", last);
      return last;
    },
  }));
  app.get("/api/ticks", defineHandler(async () => ({ last: await useStorage("data").getItem("ticks:last") })));
  app.post("/api/ticks", defineHandler(async () => ({ result: await runTask("stats:tick", { payload: { scheduledTime: Date.now() } }) })));

  return app;
}
