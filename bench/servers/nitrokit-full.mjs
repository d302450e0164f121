// nitrokit/node serving the full-stack app of DESIGN.md §6 (bench/lib/full-stack-app.mjs).
// With NITROKIT_BENCH_TRACING=memory (the `nitrokit-traced` server) the app also has
// `tracing: true`, with OpenTelemetry set up as a production app would: an AsyncLocalStorage
// context manager, a tracer provider, and the SDK's batch span processor (its default queue and
// batch sizes) in front of an exporter that drops the spans, standing in for a
// network exporter. (An in-memory exporter keeping every span until it is emptied turns the
// measurement into one of the garbage collector: at this rate it holds ~100,000 spans a second.)
import { serve } from "../../dist/adapters/node.js";
import { createFullStackApp, importNitrokit } from "../lib/full-stack-app.mjs";

const port = Number(process.env.PORT ?? 3000);

const tracing = process.env.NITROKIT_BENCH_TRACING === "memory";
if (tracing) {
  const { context, trace } = await import("@opentelemetry/api");
  const { AsyncLocalStorageContextManager } = await import("@opentelemetry/context-async-hooks");
  const { BatchSpanProcessor, TracerProvider } = await import("@opentelemetry/sdk-trace");
  const exporter = {
    export: (_spans, done) => done({ code: 0 }),
    shutdown: async () => {},
  };
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] }));
}

const app = createFullStackApp(await importNitrokit(new URL("../../dist/", import.meta.url).pathname), { tracing });
serve(app, { port, hostname: "127.0.0.1", silent: true });
