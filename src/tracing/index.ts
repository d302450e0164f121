/**
 * OpenTelemetry tracing, loaded by `ready()` only when the config sets `tracing`:
 * an app without it imports nothing from here and subscribes to no channel.
 * `@opentelemetry/api` is handed in, never imported here (see {@link OpenTelemetryAPI}).
 */
import type { H3 } from "h3";
import type { Storage } from "unstorage";
import { installInstrumentation, type RequestObserver } from "../app/instrumentation.js";
import type { NitroTracingConfig } from "../types/observability.js";
export type { OpenTelemetryAPI } from "./spans.js";
import { traceHandlers } from "./handlers.js";
import { RequestSpans } from "./requests.js";
import { Spans, type OpenTelemetryAPI } from "./spans.js";
import { traceStorage } from "./storage.js";

/** The instrumentation scope spans are reported under. */
export const TRACER_NAME = "nitrokit";

/** What of an app tracing wraps. */
export interface TracedParts {
  h3: H3;
  storage: Storage;
}

/**
 * Turns tracing on for an app: its handlers and storage are wrapped, the features
 * (cache, SQL, tasks, `$fetch`) find the tracer, and the returned observer opens
 * a server span around each request.
 */
export function startTracing(config: true | NitroTracingConfig, parts: TracedParts, api: OpenTelemetryAPI): RequestObserver {
  const options = config === true ? {} : config;
  const provider = options.tracerProvider ?? api.trace.getTracerProvider();
  const spans = new Spans(api, provider.getTracer(TRACER_NAME) as ReturnType<OpenTelemetryAPI["trace"]["getTracer"]>, options.middleware !== false);
  const uninstall = installInstrumentation("tracing", spans);
  if (options.middleware !== false) traceHandlers(parts.h3);
  if (options.storage !== false) traceStorage(parts.storage, spans);
  return new RequestSpans(spans, uninstall);
}
