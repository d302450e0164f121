// nitrokit with the whole stack of DESIGN.md §6 on: runtime config, a `request` hook
// registered by a plugin, one global middleware, handlers calling useRuntimeConfig(),
// and 50 route-rule patterns in the config.
// The route rules are matched on every request: none of the 50 patterns covers the measured
// routes, and one more does (`/api/**` adds a header), as in a real app.
// With NITROKIT_BENCH_TRACING=memory (the `nitrokit-traced` server) the app also has
// `tracing: true`, with OpenTelemetry set up as a production app would: an AsyncLocalStorage
// context manager, a tracer provider, and the SDK's batch span processor (its default queue and
// batch sizes) in front of an exporter that counts the spans and drops them, standing in for a
// network exporter. (An in-memory exporter keeping every span until it is emptied turns the
// measurement into one of the garbage collector: at this rate it holds ~100,000 spans a second.)
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
  const { BatchSpanProcessor, TracerProvider } = await import("@opentelemetry/sdk-trace");
  let exported = 0;
  const exporter = {
    export(spans, done) {
      exported += spans.length;
      done({ code: 0 });
    },
    shutdown: async () => {},
  };
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] }));
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
