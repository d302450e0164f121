// The showcase: the seed documentation's examples on embedded defaults (SQLite file, filesystem KV).
import { createNitroApp, definePlugin } from "nitrokit";
import { defineHandler, defineMiddleware, readBody, createError, html, raw } from "nitrokit/h3";
import { useStorage } from "nitrokit/storage";
import { useDatabase } from "nitrokit/database";
import { defineCachedHandler, defineCachedFunction } from "nitrokit/cache";
import { useRuntimeConfig } from "nitrokit/runtime-config";

// routes/api/github/[...repo].ts: cached per repository for an hour. The upstream is a
// local stand-in (/_upstream below), reached in-process through $fetch: no internet needed.
const getRepoStars = defineCachedFunction(
  async (repo) => {
    const data = await $fetch(`/_upstream/repos/${repo}`);
    return { stars: data.stargazers_count, forks: data.forks_count, openIssues: data.open_issues_count };
  },
  { maxAge: 60 * 60, name: "ghRepoStats", getKey: (repo) => repo },
);

/** What the home page links to. */
const EXAMPLES = [
  ["/api/hello", "a JSON route"],
  ["/api/users/42", "a route parameter"],
  ["/api/products", "SQLite in .data/db.sqlite"],
  ["/api/counter", "key-value storage in .data/kv"],
  ["/api/expensive", "a cached handler: 2 s the first time, then instant"],
  ["/api/github/nitrojs/nitro", "a cached function over a local stand-in upstream"],
  ["/api/config", "runtime config"],
  ["/api/protected", "middleware: 401 without a bearer token"],
];

/** @param {{ rootDir?: string, expensiveDelay?: number }} [options] */
export function createShowcaseApp(options = {}) {
  const app = createNitroApp({
    rootDir: options.rootDir,
    runtimeConfig: {
      apiSecret: "dev-secret-key",
      public: { apiBase: "http://localhost:3000", appVersion: "1.0.0" },
    },
  });

  // middleware/auth.ts
  app.use(defineMiddleware((event) => {
    const authHeader = event.req.headers.get("authorization");
    event.context.auth = authHeader?.startsWith("Bearer ")
      ? { userId: "user-123", isAuthenticated: true, token: authHeader.slice(7) }
      : { isAuthenticated: false };
  }));

  // routes/index.ts: what a browser opening the printed URL sees, linking every example.
  app.get("/", defineHandler(() => html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>nitrokit showcase</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .25rem}li{margin:.25rem 0}</style></head>
<body>
<h1>nitrokit showcase</h1>
<p>Nitro's documentation examples, running on nitrokit. Each link answers JSON.</p>
<ul>
${raw(EXAMPLES.map(([path, what]) => `<li><a href="${path}"><code>GET ${path}</code></a>: ${what}</li>`).join("\n"))}
</ul>
<p>And with curl: <code>curl -X POST -H 'content-type: application/json' -d '{"name":"Jane","email":"jane@example.com"}' /api/users</code>,
<code>curl -H 'authorization: Bearer t' /api/protected</code> (401 without the header).</p>
</body>
</html>`));

  // routes/api/hello.ts, users/[id].get.ts, users.post.ts
  app.get("/api/hello", defineHandler(() => ({ message: "Hello from Nitro!" })));
  app.get("/api/users/:id", defineHandler((event) => {
    const { id } = event.context.params;
    return { userId: id, profile: { name: "John Doe", email: `user${id}@example.com` } };
  }));
  app.post("/api/users", defineHandler(async (event) => {
    const body = await readBody(event);
    if (!body?.name || !body?.email) throw createError({ statusCode: 400, message: "Name and email are required" });
    return { success: true, user: { id: Math.random().toString(36).slice(2, 11), name: body.name, email: body.email, createdAt: new Date().toISOString() } };
  }));

  // routes/api/protected.ts
  app.get("/api/protected", defineHandler((event) => {
    if (!event.context.auth?.isAuthenticated) throw createError({ statusCode: 401, message: "Unauthorized" });
    return { message: "Protected data", userId: event.context.auth.userId };
  }));

  // server.ts (database example): embedded SQLite in .data/db.sqlite
  app.get("/api/products", defineHandler(async () => {
    const db = useDatabase();
    await db.sql`CREATE TABLE IF NOT EXISTS products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL NOT NULL, category TEXT)`;
    const productId = Math.floor(Math.random() * 1_000_000);
    await db.sql`INSERT INTO products (id, name, price, category) VALUES (${productId}, ${"Laptop Pro"}, ${1299.99}, 'electronics')`;
    const { rows } = await db.sql`SELECT * FROM products WHERE category = 'electronics' AND price > 1000 ORDER BY price DESC`;
    return { message: "Database operations completed", products: rows, count: rows.length };
  }));

  // routes/api/counter.ts: KV storage persisted in .data/kv
  app.get("/api/counter", defineHandler(async (event) => {
    const storage = useStorage("data");
    let counter = (await storage.getItem("counter")) || 0;
    counter++;
    await storage.setItem("counter", counter);
    await storage.setItem("lastAccess", {
      timestamp: Date.now(),
      ip: event.node?.req.socket.remoteAddress, // Node only; undefined when called in-process
      userAgent: event.req.headers.get("user-agent"),
    });
    return { counter, message: `Counter incremented to ${counter}` };
  }));

  // routes/api/expensive.ts: cached for an hour, stale-while-revalidate
  app.get("/api/expensive", defineCachedHandler(async () => {
    await new Promise((resolve) => setTimeout(resolve, options.expensiveDelay ?? 2000));
    return { timestamp: new Date().toISOString(), random: Math.random(), computation: "expensive result" };
  }, { maxAge: 60 * 60, swr: true, name: "expensive-operation", getKey: (event) => event.url.pathname }));

  app.get("/api/github/**:repo", defineHandler(async (event) => {
    const { repo } = event.context.params;
    try {
      return { repository: repo, ...(await getRepoStars(repo)) };
    } catch (error) {
      return { repository: repo, error: error.message, stars: 0 };
    }
  }));

  // The stand-in upstream for the GitHub example; counts calls so the cache is visible.
  let upstreamCalls = 0;
  app.get("/_upstream/repos/**:repo", defineHandler((event) => {
    upstreamCalls++;
    const { repo } = event.context.params;
    if (repo.split("/").length !== 2) throw createError({ statusCode: 404, message: "Not Found" });
    return { full_name: repo, stargazers_count: 5234, forks_count: 432, open_issues_count: 45, upstreamCalls };
  }));
  app.get("/_upstream/calls", defineHandler(() => ({ upstreamCalls })));

  // routes/api/config.ts
  app.get("/api/config", defineHandler((event) => {
    const config = useRuntimeConfig(event);
    return { apiBase: config.public.apiBase, version: config.public.appVersion, hasValidSecret: config.apiSecret?.length > 0 };
  }));

  // plugins/: timing, error reporting, graceful close
  app.plugin(definePlugin((nitroApp) => {
    nitroApp.hooks.hook("request", (event) => { event.context.startTime = Date.now(); });
    nitroApp.hooks.hook("error", (error, { event }) => {
      console.error(`Error on ${event?.url.pathname}:`, error.message);
    });
    nitroApp.hooks.hook("close", () => console.log("Closing: storage and database connections are released."));
  }));

  return app;
}

// `nitrokit serve examples/showcase/app.mjs` and `nitrokit build examples/showcase/app.mjs` load this.
export default () => createShowcaseApp();
