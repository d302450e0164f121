// nitrokit with the same trivial JSON route twice: /uncached plain, /cached behind defineCachedHandler
// (default `cache` mount: the in-memory LRU). bench/cache.mjs compares the two in one process.
import { createNitroApp } from "../../dist/index.js";
import { defineHandler } from "../../dist/h3.js";
import { defineCachedHandler } from "../../dist/cache/index.js";
import { serve } from "../../dist/adapters/node.js";

const port = Number(process.env.PORT ?? 3000);
const payload = () => ({ message: "Hello from Nitro!", items: [1, 2, 3] });

const app = createNitroApp();
app.get("/uncached", defineHandler(payload));
app.get("/cached", defineCachedHandler(payload, { name: "bench", maxAge: 3600 }));
await app.ready();
serve(app, { port, hostname: "127.0.0.1", silent: true });
