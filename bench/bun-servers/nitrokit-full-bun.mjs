// nitrokit/bun with the whole stack of DESIGN.md §6 on, the same app as bench/servers/nitrokit-full.mjs:
// runtime config, a `request` hook registered by a plugin, one global middleware, handlers calling
// useRuntimeConfig() (and getRouterParam()), 50 route-rule patterns that do not cover the measured
// routes and one that does (`/api/**` adds a header).
// NATIVE_ROUTES=1 / 0 forces serve()'s `nativeRoutes` (the static path /api/hello in Bun's own `routes` table) on / off.
import { createNitroApp, definePlugin } from "../../dist/index.js";
import { defineHandler, getRouterParam } from "../../dist/h3.js";
import { useRuntimeConfig } from "../../dist/runtime-config.js";
import { serve } from "../../dist/adapters/bun.js";

const routeRules = {};
for (let i = 0; i < 50; i++) routeRules[`/pattern-${i}/**`] = { headers: { [`x-${i}`]: String(i) } };
routeRules["/api/**"] = { headers: { "x-powered-by": "nitrokit" } };

let requests = 0;
const app = createNitroApp({
  runtimeConfig: { helloMessage: "Hello from Nitro!", public: { apiBase: "/api" } },
  routeRules,
  middleware: [
    (event) => {
      event.context.x = 1;
    },
  ],
  plugins: [
    definePlugin((nitroApp) => {
      nitroApp.hooks.hook("request", () => {
        requests++;
      });
    }),
  ],
});

app.get(
  "/api/hello",
  defineHandler(() => {
    const config = useRuntimeConfig();
    return { message: config.helloMessage };
  }),
);
app.get(
  "/api/users/:id",
  defineHandler((event) => {
    useRuntimeConfig();
    return { userId: getRouterParam(event, "id") };
  }),
);

const nativeRoutes = process.env.NATIVE_ROUTES === undefined ? undefined : process.env.NATIVE_ROUTES === "1";
serve(app, { port: Number(process.env.PORT ?? 3000), hostname: "127.0.0.1", silent: true, nativeRoutes });
