// Hono doing the full-stack app's work (bench/lib/full-stack-app.mjs) the Hono way, for a
// like-for-like comparison with nitrokit-full: a middleware standing for the request hook, one
// global middleware that sets a context value, a config object read by the handlers, 50
// path-scoped middleware that set a header on paths the measured routes never take, and one
// that does (`/api/*` adds `x-powered-by`, as nitrokit-full's matching `headers` rule does).
// The headers are set before `next()`: set after it, Hono copies the finished response to change
// its headers, which measured ~8× the cost of the whole request (bench/js-cost.mjs).
import { Hono } from "hono";
import { serve } from "@hono/node-server";

const port = Number(process.env.PORT ?? 3000);
const config = { helloMessage: "Hello from Nitro!", public: { apiBase: "/api" } };
let requests = 0;

const app = new Hono();
app.use(async (_c, next) => {
  requests++;
  await next();
});
app.use(async (c, next) => {
  c.set("x", 1);
  await next();
});
for (let i = 0; i < 50; i++) {
  app.use(`/pattern-${i}/*`, async (c, next) => {
    c.header(`x-${i}`, String(i));
    await next();
  });
}
app.use("/api/*", async (c, next) => {
  c.header("x-powered-by", "nitrokit");
  await next();
});
app.get("/api/hello", (c) => c.json({ message: config.helloMessage }));
app.get("/api/users/:id", (c) => c.json({ userId: c.req.param("id") }));

serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
