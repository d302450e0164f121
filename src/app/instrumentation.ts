/**
 * Where the features (cache, SQL, tasks, outgoing fetch) meet tracing, without loading it.
 *
 * The tracing code (`src/tracing/`, on `@opentelemetry/api`) is imported only when an app's
 * config turns `tracing` on; it then installs itself here. Until then `instrumentation()` is
 * `undefined` and each feature pays one variable read per operation.
 */
import type { Connector } from "db0";
import type { H3Event, H3EventContext } from "h3";

/** An attribute value as OpenTelemetry takes them. */
export type TraceAttributeValue = string | number | boolean;
/** A span's attributes. */
export type TraceAttributes = Record<string, TraceAttributeValue | undefined>;

/** Ends a middleware's span and runs `next` outside it (see {@link Instrumentation.passing}). */
export type HandOff = <R>(next: () => R) => R;

/** What the features ask of tracing. */
export interface Instrumentation {
  /**
   * Runs `fn` in a child span of the current one, active while `fn` (and what it awaits) runs,
   * ended when `fn` returns or its promise settles; a throw or a rejection marks it failed.
   */
  span<T>(name: string, attributes: TraceAttributes, fn: () => T, kind?: "internal" | "client" | "server" | "consumer"): T;
  /**
   * Like `span`, for middleware: `fn` gets `handOff`, which ends the span and runs what comes
   * next (the rest of the chain, the handler) in the parent's context, so it is a sibling of
   * the middleware, not its child, and the middleware's time is its own.
   */
  passing<T>(name: string, attributes: TraceAttributes, fn: (handOff: HandOff) => T): T;
  /** Sets an attribute on the current span (the innermost active one). */
  annotate(key: string, value: TraceAttributeValue): void;
  /** The ids of the current span, to tie a log line to its trace; `undefined` outside a span or without tracing. */
  current(): { traceId: string; spanId: string } | undefined;
  /** Writes the current trace context (`traceparent`, `tracestate`) into outgoing request headers. */
  inject(headers: Headers): void;
  /** A SQL connector whose statements run in spans (through `instrumentation()`, so every layer sees them). */
  connector(connector: Connector, connectionName: string): Connector;
}

type Kind = "tracing" | "timing";

/**
 * What is installed, by kind: `tracing`, Server-Timing's `timing`, or both (each span goes
 * through both, nested). Each kind is a stack: the latest app to install one is served,
 * and when it closes the one before it is back.
 */
const stacks = new Map<Kind, Instrumentation[]>();
let installed: Instrumentation | undefined;

/** The installed instrumentation, or `undefined` while nothing traces or times. */
export function instrumentation(): Instrumentation | undefined {
  return installed;
}

/**
 * Installs an instrumentation for the process (OpenTelemetry's tracer provider, context and
 * propagator are process-wide too), until the returned function is called (the app closes).
 */
export function installInstrumentation(kind: Kind, value: Instrumentation): () => void {
  const stack = stacks.get(kind) ?? [];
  stacks.set(kind, [...stack, value]);
  settle();
  let done = false;
  return () => {
    if (done) return;
    done = true;
    const current = stacks.get(kind) ?? [];
    const index = current.lastIndexOf(value);
    if (index >= 0) stacks.set(kind, [...current.slice(0, index), ...current.slice(index + 1)]);
    settle();
  };
}

function settle(): void {
  const all = [...stacks.values()].flatMap((stack) => stack.slice(-1));
  installed = all.length === 0 ? undefined : all.length === 1 ? all[0] : layered(all);
}

function layered(all: readonly Instrumentation[]): Instrumentation {
  return {
    span: (name, attributes, fn, kind) => all.reduceRight<typeof fn>((inner, layer) => () => layer.span(name, attributes, inner, kind), fn)(),
    passing: <T>(name: string, attributes: TraceAttributes, fn: (handOff: HandOff) => T): T => {
      const nest = (i: number, outer: HandOff): T =>
        i === all.length ? fn(outer) : all[i]!.passing(name, attributes, (handOff) => nest(i + 1, (next) => handOff(() => outer(next))));
      return nest(0, (next) => next());
    },
    annotate: (key, value) => all.forEach((layer) => layer.annotate(key, value)),
    inject: (headers) => all.forEach((layer) => layer.inject(headers)),
    current: () => all.reduce<ReturnType<Instrumentation["current"]>>((found, layer) => found ?? layer.current(), undefined),
    // Every layer's connector spans its statements through instrumentation(), so one wrapping serves all.
    connector: (connector, name) => all[0]!.connector(connector, name),
  };
}

/** The answer to a request, given the request and the `event.context` it will get. */
export type ServeRequest = (request: Request, context: H3EventContext) => Response | Promise<Response>;

/**
 * What watches whole requests (tracing's server span, request logs): the request path hands
 * it each request and how to answer it. Installed only when the config asks for one.
 */
export interface RequestObserver {
  serve(request: Request, context: H3EventContext, next: ServeRequest): Response | Promise<Response>;
  /** An error the request failed with (reported before the error answer is made). */
  failed?(event: H3Event, error: unknown): void;
  /** The app is closing: what the observer installed for the process is removed. */
  close?(): void;
}
