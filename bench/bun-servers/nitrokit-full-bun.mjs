// nitrokit/bun serving the full-stack app of DESIGN.md §6 (bench/lib/full-stack-app.mjs), as
// bench/servers/nitrokit-full.mjs does on Node.
// NATIVE_ROUTES=1 / 0 forces serve()'s `nativeRoutes` (the static path /api/hello in Bun's own `routes` table) on / off.
import { serve } from "../../dist/adapters/bun.js";
import { createFullStackApp, importNitrokit } from "../lib/full-stack-app.mjs";

const app = createFullStackApp(await importNitrokit(new URL("../../dist/", import.meta.url).pathname));

const nativeRoutes = process.env.NATIVE_ROUTES === undefined ? undefined : process.env.NATIVE_ROUTES === "1";
serve(app, { port: Number(process.env.PORT ?? 3000), hostname: "127.0.0.1", silent: true, nativeRoutes });
