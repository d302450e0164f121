// nitrokit, nothing on: createNitroApp() + serve() from nitrokit/node (built package).
import { createNitroApp } from "../../dist/index.js";
import { defineHandler } from "../../dist/h3.js";
import { serve } from "../../dist/adapters/node.js";

const port = Number(process.env.PORT ?? 3000);

const app = createNitroApp();
app.get("/api/hello", defineHandler(() => ({ message: "Hello from Nitro!" })));
app.get("/api/users/:id", defineHandler((event) => ({ userId: event.context.params.id })));

// Graceful shutdown stays on (the default): SIGINT exits cleanly, which lets --cpu-prof write its profile.
serve(app, { port, hostname: "127.0.0.1", silent: true });
