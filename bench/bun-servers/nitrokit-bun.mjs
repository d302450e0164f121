// nitrokit on Bun (built package): createNitroApp() + serve() from nitrokit/bun.
// NATIVE_ROUTES=1 / 0 forces serve()'s `nativeRoutes` (the static path /api/hello in Bun's own `routes` table) on / off.
import { createNitroApp } from "../../dist/index.js";
import { defineHandler } from "../../dist/h3.js";
import { serve } from "../../dist/adapters/bun.js";

const app = createNitroApp();
app.get("/api/hello", defineHandler(() => ({ message: "Hello from Nitro!" })));
app.get("/api/users/:id", defineHandler((event) => ({ userId: event.context.params.id })));
await app.ready();
const nativeRoutes = process.env.NATIVE_ROUTES === undefined ? undefined : process.env.NATIVE_ROUTES === "1";
serve(app, { port: Number(process.env.PORT ?? 3000), hostname: "127.0.0.1", silent: true, nativeRoutes });
