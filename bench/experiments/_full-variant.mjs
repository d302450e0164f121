// The full-stack app of bench/lib/full-stack-app.mjs, served by nitrokit/node, with parts left out
// (a comma list of: norule = no matching `headers` rule, nohook, nomw = no global middleware, norc = no useRuntimeConfig()).
import { createNitroApp, definePlugin } from "../../dist/index.js";
import { defineHandler, getRouterParam } from "../../dist/h3.js";
import { useRuntimeConfig } from "../../dist/runtime-config.js";
import { serve } from "../../dist/adapters/node.js";
export function start(variant) {
  const off = new Set(variant.split(","));
  const routeRules = {};
  for (let i = 0; i < 50; i++) routeRules[`/pattern-${i}/**`] = { headers: { [`x-${i}`]: String(i) } };
  if (!off.has("norule")) routeRules["/api/**"] = { headers: { "x-powered-by": "nitrokit" } };
  let requests = 0;
  const app = createNitroApp({
    runtimeConfig: { helloMessage: "Hello from Nitro!", public: { apiBase: "/api" } },
    routeRules,
    middleware: off.has("nomw") ? [] : [(event) => { event.context.x = 1; }],
    plugins: off.has("nohook") ? [] : [definePlugin((nitroApp) => nitroApp.hooks.hook("request", () => void requests++))],
  });
  const rc = off.has("norc") ? () => ({ helloMessage: "Hello from Nitro!" }) : useRuntimeConfig;
  app.get("/api/hello", defineHandler(() => ({ message: rc().helloMessage })));
  app.get("/api/users/:id", defineHandler((event) => { rc(); return { userId: getRouterParam(event, "id") }; }));
  serve(app, { port: Number(process.env.PORT ?? 3000), hostname: "127.0.0.1", silent: true });
}
