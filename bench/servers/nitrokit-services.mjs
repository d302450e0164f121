// nitrokit with a Redis storage mount and a PostgreSQL connection that /api/hello and
// /api/users/:id never touch (issue 16: they load on first use): cold start against
// nitrokit-bare shows what such services cost at start-up. NITROKIT_DIST picks the built
// package (default: ../../dist), so a base build can run in the same bench:
//   node bench/cold-start.mjs --only nitrokit-bare --server services=bench/servers/nitrokit-services.mjs \
//     --server services-base=/tmp/base-services.mjs   (a copy whose NITROKIT_DIST default points at the base build)
// Redis and PostgreSQL URLs: NITROKIT_TEST_REDIS_URL, NITROKIT_TEST_POSTGRES_URL (defaults: localhost).
import { pathToFileURL } from "node:url";

const dist = process.env.NITROKIT_DIST ? pathToFileURL(`${process.env.NITROKIT_DIST.replace(/\/$/, "")}/`).href : new URL("../../dist/", import.meta.url).href;
const { createNitroApp } = await import(`${dist}index.js`);
const { defineHandler } = await import(`${dist}h3.js`);
const { serve } = await import(`${dist}adapters/node.js`);

const port = Number(process.env.PORT ?? 3000);

const app = createNitroApp({
  storage: { sessions: { driver: "redis", url: process.env.NITROKIT_TEST_REDIS_URL ?? "redis://127.0.0.1:6379", base: "bench" } },
  database: { main: { connector: "postgresql", options: { url: process.env.NITROKIT_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test" } } },
});
app.get("/api/hello", defineHandler(() => ({ message: "Hello from Nitro!" })));
app.get("/api/users/:id", defineHandler((event) => ({ userId: event.context.params.id })));

serve(app, { port, hostname: "127.0.0.1", silent: true });
