// The "full stack" app of DESIGN.md §6, one definition for every bench that serves it (Node, Bun,
// in process): runtime config, a `request` hook registered by a plugin, one global middleware,
// handlers calling useRuntimeConfig() and getRouterParam(), and 51 route-rule patterns, of which
// 50 do not cover the measured routes and one does (`/api/**` adds a header), as in a real app.
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** nitrokit's entries from a build folder (the repository's dist/, or another build to compare). */
export async function importNitrokit(distDir) {
  const load = (file) => import(pathToFileURL(join(distDir, file)).href);
  const [root, h3, runtimeConfig] = await Promise.all([load("index.js"), load("h3.js"), load("runtime-config.js")]);
  return { ...root, ...h3, ...runtimeConfig };
}

/** The full-stack app built with `nitrokit` (see importNitrokit); `config` adds to its config (`tracing`). */
export function createFullStackApp(nitrokit, config = {}) {
  const { createNitroApp, definePlugin, defineHandler, getRouterParam, useRuntimeConfig } = nitrokit;
  const routeRules = {};
  for (let i = 0; i < 50; i++) routeRules[`/pattern-${i}/**`] = { headers: { [`x-${i}`]: String(i) } };
  routeRules["/api/**"] = { headers: { "x-powered-by": "nitrokit" } };
  let requests = 0;
  const app = createNitroApp({
    ...config,
    runtimeConfig: { helloMessage: "Hello from Nitro!", public: { apiBase: "/api" } },
    routeRules,
    middleware: [
      (event) => {
        event.context.x = 1;
      },
    ],
    plugins: [definePlugin((nitroApp) => nitroApp.hooks.hook("request", () => void requests++))],
  });
  app.get(
    "/api/hello",
    defineHandler(() => ({ message: useRuntimeConfig().helloMessage })),
  );
  app.get(
    "/api/users/:id",
    defineHandler((event) => {
      useRuntimeConfig();
      return { userId: getRouterParam(event, "id") };
    }),
  );
  return app;
}
