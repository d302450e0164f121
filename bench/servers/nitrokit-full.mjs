// nitrokit with the whole stack of DESIGN.md §6 on: runtime config, a `request` hook
// registered by a plugin, one global middleware, handlers calling useRuntimeConfig(),
// and 50 route-rule patterns in the config.
// The route rules are matched on every request: none of the 50 patterns covers the measured
// routes, and one more does (`/api/**` adds a header), as in a real app.
// With NITROKIT_BENCH_TRACING=memory (the `nitrokit-traced` server) the app also has
// `tracing: true`, with OpenTelemetry set up as an app would (an AsyncLocalStorage context
// manager, a tracer provider) and spans handed to the in-memory exporter, emptied every second.
import { createNitroApp, definePlugin } from "../../dist/index.js";
import { defineHandler, getRouterParam } from "../../dist/h3.js";
import { useRuntimeConfig } from "../../dist/runtime-config.js";
import { serve } from "../../dist/adapters/node.js";

const port = Number(process.env.PORT ?? 3000);

const routeRules = {};
for (let i = 0; i < 50; i++) routeRules[`/pattern-${i}/**`] = { headers: { [`x-${i}`]: String(i) } };
routeRules["/api/**"] = { headers: { "x-powered-by": "nitrokit" } };

const tracing = process.env.NITROKIT_BENCH_TRACING === "memory";
if (tracing) {
  const { context, trace } = await import("@opentelemetry/api");
  const { AsyncLocalStorageContextManager } = await import("@opentelemetry/context-async-hooks");
  const { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } = await import("@opentelemetry/sdk-trace");
  const exporter = new InMemorySpanExporter();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }));
  setInterval(() => exporter.reset(), 1000).unref();
}

let requests = 0;
const app = createNitroApp({
  tracing,
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
