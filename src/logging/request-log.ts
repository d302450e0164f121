/**
 * Request logs and Server-Timing, loaded by `ready()` only when the config sets `logging`, or `dev`
 * (which adds `Server-Timing` alone: a development server, where timing every request is wanted).
 *
 * One line per request once its response is ready: method, path, status, duration and request
 * id, JSON lines in production (one object a line, for log shippers), a readable line with
 * `dev: true`. The request id comes from a valid `x-request-id` (or the configured header) or
 * is generated; handlers read it as `event.context.requestId`, the response echoes it, and the
 * `error` hook sees it on the event it gets. With `dev: true` the response also carries a
 * `Server-Timing` header (middleware, handler, cache, db) for the browser's devtools.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { H3, H3EventContext } from "h3";
import type { Connector } from "db0";
import { installInstrumentation, instrumentation, type HandOff, type Instrumentation, type RequestObserver, type ServeRequest, type TraceAttributes } from "../app/instrumentation.js";
import type { NitroLoggingConfig, RequestLogger, RequestLogRecord } from "../types/observability.js";
import { traceHandlers } from "../tracing/handlers.js";
import { tracedConnector } from "../tracing/database.js";

/** A request id we pass on as given: short, and nothing a log line or a header could choke on. */
const VALID_REQUEST_ID = /^[\w.:@/+=-]{1,200}$/;

/** The Server-Timing phases, in the order the header lists them. */
const PHASES = ["middleware", "handler", "cache", "db"] as const;
type Phase = (typeof PHASES)[number];

/** One request's time per phase (ms), and how deep each phase is nested right now (outermost counts). */
interface Timings {
  total: Record<Phase, number>;
  depth: Record<Phase, number>;
}

export class RequestLog implements RequestObserver {
  readonly #logger: RequestLogger | undefined;
  readonly #format: "json" | "pretty";
  readonly #header: string;
  /** Server-Timing's timer: `dev: true` only. */
  readonly #timer: PhaseTimer | undefined;
  /** Uninstalls the timer when the app closes. */
  close?: () => void;

  /** Whether this writes request lines (`logging` is on), or only times requests for `Server-Timing` (`dev` alone). */
  readonly #logs: boolean;

  /** `config` undefined: `dev` without `logging`, which adds `Server-Timing` and writes no lines. */
  constructor(config: true | NitroLoggingConfig | undefined, dev: boolean, h3: H3) {
    this.#logs = config !== undefined;
    const options = config === true || config === undefined ? {} : config;
    this.#logger = options.logger;
    this.#format = options.format ?? (dev ? "pretty" : "json");
    this.#header = (options.requestIdHeader ?? "x-request-id").toLowerCase();
    if (dev) {
      this.#timer = phaseTimer ??= new PhaseTimer();
      this.close = installInstrumentation("timing", this.#timer);
      traceHandlers(h3);
    }
  }

  serve(request: Request, context: H3EventContext, next: ServeRequest): Promise<Response> {
    if (!this.#logs) return this.#timeOnly(request, context, next);
    const start = performance.now();
    const given = request.headers.get(this.#header);
    const requestId = given && VALID_REQUEST_ID.test(given) ? given : crypto.randomUUID();
    context.requestId = requestId;
    // With tracing on, this runs inside the request's server span: the line and the span name each other.
    const spans = instrumentation();
    const trace = spans?.current();
    spans?.annotate("nitrokit.request_id", requestId);
    const timings = this.#timer?.start();
    const answered = (response: Response): Response => {
      const duration = performance.now() - start;
      const headers: [string, string][] = [[this.#header, requestId]];
      if (timings) headers.push(["server-timing", serverTiming(timings, duration)]);
      const out = withHeaders(response, headers);
      this.#write({ method: request.method, path: new URL(request.url).pathname, status: out.status, duration: round(duration), requestId, ...trace });
      return out;
    };
    const failed = (error: unknown): never => {
      this.#write({ method: request.method, path: new URL(request.url).pathname, status: 500, duration: round(performance.now() - start), requestId, ...trace });
      throw error;
    };
    try {
      const response = timings ? this.#timer!.run(timings, () => next(request, context)) : next(request, context);
      return Promise.resolve(response).then(answered, failed);
    } catch (error) {
      return Promise.reject(failed(error));
    }
  }

  /** `dev` without `logging`: the response gets its `Server-Timing`, nothing is written. */
  #timeOnly(request: Request, context: H3EventContext, next: ServeRequest): Promise<Response> {
    const start = performance.now();
    const timings = this.#timer!.start();
    return Promise.resolve(this.#timer!.run(timings, () => next(request, context))).then((response) =>
      withHeaders(response, [["server-timing", serverTiming(timings, performance.now() - start)]]),
    );
  }

  #write(record: RequestLogRecord): void {
    const level = record.status >= 500 ? "error" : record.status >= 400 ? "warn" : "info";
    if (this.#logger) {
      this.#logger[level](record, `${record.method} ${record.path} ${record.status}`);
      return;
    }
    const line =
      this.#format === "json"
        ? JSON.stringify({ level, time: new Date().toISOString(), msg: "request", ...record })
        : `${record.method} ${record.path} ${record.status} ${record.duration}ms ${record.requestId}`;
    writeLine(line);
  }
}

/** One timer for the process: each request it times carries its own record. */
let phaseTimer: PhaseTimer | undefined;

/**
 * Times the phases of the request the code runs for: the spans nitrokit opens (middleware,
 * handler, cached functions, SQL) are timed into that request's record.
 */
class PhaseTimer implements Instrumentation {
  readonly #current = new AsyncLocalStorage<Timings>();

  start(): Timings {
    return { total: { middleware: 0, handler: 0, cache: 0, db: 0 }, depth: { middleware: 0, handler: 0, cache: 0, db: 0 } };
  }

  run<T>(timings: Timings, fn: () => T): T {
    return this.#current.run(timings, fn);
  }

  span<T>(name: string, attributes: TraceAttributes, fn: () => T): T {
    const timings = this.#current.getStore();
    const phase = phaseOf(name, attributes);
    if (!timings || !phase) return fn();
    // Nested spans of one phase (middleware calling next() into more middleware) count once.
    if (timings.depth[phase]++ > 0) return settle(fn, () => timings.depth[phase]--);
    const start = performance.now();
    return settle(fn, () => {
      timings.depth[phase]--;
      timings.total[phase] += performance.now() - start;
    });
  }

  /** A middleware's own time: up to its hand-off to what follows. */
  passing<T>(name: string, attributes: TraceAttributes, fn: (handOff: HandOff) => T): T {
    const timings = this.#current.getStore();
    const phase = phaseOf(name, attributes);
    if (!timings || !phase) return fn((next) => next());
    const start = performance.now();
    let open = true;
    const stop = () => {
      if (!open) return;
      open = false;
      timings.total[phase] += performance.now() - start;
    };
    return settle(() => fn((next) => (stop(), next())), stop);
  }

  annotate(): void {}
  inject(): void {}
  current(): undefined {
    return undefined;
  }
  connector(connector: Connector, connectionName: string): Connector {
    return tracedConnector(connector, connectionName);
  }
}

function phaseOf(name: string, attributes: TraceAttributes): Phase | undefined {
  if (attributes["db.system.name"] !== undefined) return "db";
  const word = name.slice(0, name.indexOf(" "));
  return word === "middleware" || word === "handler" || word === "cache" ? word : undefined;
}

/** Calls `fn`, then `done` once it returned or its promise settled. */
function settle<T>(fn: () => T, done: () => void): T {
  let result: T;
  try {
    result = fn();
  } catch (error) {
    done();
    throw error;
  }
  if (typeof (result as Promise<unknown> | undefined)?.then === "function") {
    return (result as Promise<unknown>).finally(done) as T;
  }
  done();
  return result;
}

function serverTiming(timings: Timings, total: number): string {
  const phases = PHASES.filter((phase) => timings.total[phase] > 0).map((phase) => `${phase};dur=${round(timings.total[phase])}`);
  return [...phases, `total;dur=${round(total)}`].join(", ");
}

/**
 * Sets headers on a response; one with immutable headers (from `fetch()`) is copied first. A
 * WebSocket upgrade answer (101) is left as it is: a copy would lose what crossws put on it.
 */
function withHeaders(response: Response, headers: [string, string][]): Response {
  try {
    for (const [name, value] of headers) response.headers.set(name, value);
    return response;
  } catch {
    if (response.status < 200) return response;
    const copy = new Response(response.body, response);
    for (const [name, value] of headers) copy.headers.set(name, value);
    return copy;
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function writeLine(line: string): void {
  const stdout = globalThis.process?.stdout;
  if (stdout?.write) stdout.write(`${line}\n`);
  else console.log(line);
}
