// nitrokit with the whole stack of DESIGN.md §6 on: runtime config, a `request` hook
// registered by a plugin, one global middleware, handlers calling useRuntimeConfig(),
// and 50 route-rule patterns in the config.
// The route rules are matched on every request: none of the 50 patterns covers the measured
// routes, and one more does (`/api/**` adds a header), as in a real app.
import { createNitroApp, definePlugin } from "../../dist/index.js";
import { defineHandler, getRouterParam } from "../../dist/h3.js";
import { useRuntimeConfig } from "../../dist/runtime-config.js";
import { serve } from "../../dist/adapters/node.js";

const port = Number(process.env.PORT ?? 3000);

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
  defineHandler((event) => {
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

serve(app, { port, hostname: "127.0.0.1", silent: true });
