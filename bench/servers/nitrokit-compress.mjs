// nitrokit with a ~10 kB JSON route three ways, for `node bench/http.mjs --compression`:
// /api/items without rules, /z/api/items under the `compress` rule, /e/api/items under `etag`.
import { createNitroApp } from "../../dist/index.js";
import { defineHandler } from "../../dist/h3.js";
import { serve } from "../../dist/adapters/node.js";

const port = Number(process.env.PORT ?? 3000);
// Built per request, as a dynamic route would: ~10 kB once serialized.
const items = () => Array.from({ length: 110 }, (_, id) => ({ id, name: `item number ${id}`, tags: ["alpha", "beta", "gamma"], price: id * 1.5, inStock: id % 3 !== 0 }));

const app = createNitroApp({ routeRules: { "/z/**": { compress: true }, "/e/**": { etag: true } } });
app.get("/api/hello", defineHandler(() => ({ message: "Hello from Nitro!" })));
app.get("/api/users/:id", defineHandler((event) => ({ userId: event.context.params.id })));
for (const prefix of ["", "/z", "/e"]) app.get(`${prefix}/api/items`, defineHandler(items));

serve(app, { port, hostname: "127.0.0.1", silent: true });
