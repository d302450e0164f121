// nitrokit bare on 2 worker processes: serve(app, { workers: 2 }) from nitrokit/node (built package).
// The same app as nitrokit-bare.mjs; bench/http.mjs gives this server two cores (see SERVERS there).
import { createNitroApp } from "../../dist/index.js";
import { defineHandler } from "../../dist/h3.js";
import { serve } from "../../dist/adapters/node.js";

const port = Number(process.env.PORT ?? 3000);

const app = createNitroApp();
app.get("/api/hello", defineHandler(() => ({ message: "Hello from Nitro!" })));
app.get("/api/users/:id", defineHandler((event) => ({ userId: event.context.params.id })));

serve(app, { port, hostname: "127.0.0.1", silent: true, workers: Number(process.env.WORKERS ?? 2) });
