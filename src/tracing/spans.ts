/**
 * Spans on `@opentelemetry/api`: the one place nitrokit talks to OpenTelemetry. Each span is
 * made the active one (OpenTelemetry's context) while the work it measures runs, so what that
 * work starts (a storage read inside a cached function inside a handler) nests under it.
 */
import type { Context, Span, Tracer } from "@opentelemetry/api";
import type { Connector } from "db0";
import type { HandOff, Instrumentation, TraceAttributes, TraceAttributeValue } from "../app/instrumentation.js";
import { tracedConnector } from "./database.js";

/**
 * `@opentelemetry/api` as the app's code holds it: imported by name when it can be, handed in
 * (`tracing: { api }`) where a bundle cannot import a package by name (Workers). Never imported
 * here, so a bundle of nitrokit never needs it unless the app traces.
 */
export type OpenTelemetryAPI = typeof import("@opentelemetry/api");

type SpanKindName = "internal" | "client" | "server" | "consumer";

/** How header values are read from and written to a `Headers` by the W3C propagator. */
export const headersGetter = {
  keys: (headers: Headers) => [...headers.keys()],
  get: (headers: Headers, key: string) => headers.get(key) ?? undefined,
};
const headersSetter = { set: (headers: Headers, key: string, value: string) => headers.set(key, value) };

/** The names `handlers.ts` gives middleware and handler spans, which `middleware: false` leaves out. */
const HANDLER_SPAN = /^(?:middleware|handler) /;

export class Spans implements Instrumentation {
  /**
   * @param handlerSpans whether middleware and handler calls get spans (`tracing.middleware`);
   * they are wrapped for Server-Timing even when not, so the choice is made here.
   */
  constructor(
    readonly api: OpenTelemetryAPI,
    readonly tracer: Tracer,
    readonly handlerSpans = true,
  ) {}

  #kind(kind: SpanKindName) {
    const { SpanKind } = this.api;
    return kind === "client" ? SpanKind.CLIENT : kind === "server" ? SpanKind.SERVER : kind === "consumer" ? SpanKind.CONSUMER : SpanKind.INTERNAL;
  }

  span<T>(name: string, attributes: TraceAttributes, fn: () => T, kind: SpanKindName = "internal"): T {
    if (!this.handlerSpans && HANDLER_SPAN.test(name)) return fn();
    const { context, trace } = this.api;
    const span = this.tracer.startSpan(name, { kind: this.#kind(kind), attributes: defined(attributes) });
    return this.runIn(span, trace.setSpan(context.active(), span), fn);
  }

  /** Runs `fn` with `span` active in `active`, ending the span when `fn` is done (throw and rejection recorded). */
  runIn<T>(span: Span, active: Context, fn: () => T): T {
    let result: T;
    try {
      result = this.api.context.with(active, fn);
    } catch (error) {
      this.fail(span, error);
      span.end();
      throw error;
    }
    if (isPromise(result)) {
      return result.then(
        (value) => {
          span.end();
          return value;
        },
        (error: unknown) => {
          this.fail(span, error);
          span.end();
          throw error;
        },
      ) as T;
    }
    span.end();
    return result;
  }

  passing<T>(name: string, attributes: TraceAttributes, fn: (handOff: HandOff) => T): T {
    if (!this.handlerSpans && HANDLER_SPAN.test(name)) return fn((next) => next());
    const { context, trace } = this.api;
    const parent = context.active();
    const span = this.tracer.startSpan(name, { attributes: defined(attributes) }, parent);
    let open = true;
    const end = (error?: unknown) => {
      if (!open) return;
      open = false;
      if (error !== undefined) this.fail(span, error);
      span.end();
    };
    const handOff: HandOff = (next) => {
      end();
      return context.with(parent, next);
    };
    try {
      const result = context.with(trace.setSpan(parent, span), fn, undefined, handOff);
      if (!isPromise(result)) {
        end();
        return result;
      }
      return result.then(
        (value) => (end(), value),
        (error: unknown) => {
          end(error ?? new Error("rejected"));
          throw error;
        },
      ) as T;
    } catch (error) {
      end(error ?? new Error("thrown"));
      throw error;
    }
  }

  annotate(key: string, value: TraceAttributeValue): void {
    this.api.trace.getActiveSpan()?.setAttribute(key, value);
  }

  current(): { traceId: string; spanId: string } | undefined {
    const span = this.api.trace.getActiveSpan();
    if (!span) return undefined;
    const { traceId, spanId } = span.spanContext();
    return { traceId, spanId };
  }

  inject(headers: Headers): void {
    this.api.propagation.inject(this.api.context.active(), headers, headersSetter);
  }

  connector(connector: Connector, connectionName: string): Connector {
    return tracedConnector(connector, connectionName);
  }

  /**
   * Marks a span failed: ERROR status and the exception event (type, message, stack). An
   * `HTTPError` below 500 (a 401 from auth middleware, a 404 thrown on purpose) is an answer,
   * not a failure, as semantic conventions have it for server spans: only its status is noted.
   */
  fail(span: Span, error: unknown): void {
    const status = (error as { status?: unknown } | null)?.status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      span.setAttribute("http.response.status_code", status);
      return;
    }
    if (error instanceof Error) span.recordException(error);
    else span.recordException(String(error));
    span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
  }
}



function defined(attributes: TraceAttributes): Record<string, TraceAttributeValue> {
  const out: Record<string, TraceAttributeValue> = {};
  for (const key in attributes) {
    const value = attributes[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

export function isPromise<T>(value: unknown): value is Promise<T> {
  return typeof (value as Promise<T> | undefined)?.then === "function";
}
