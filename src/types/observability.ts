/**
 * The config of what an app shows of itself while it runs: OpenTelemetry tracing
 * (`tracing`) and request logs with Server-Timing (`logging`).
 */

/** Anything that hands out tracers: OpenTelemetry's `TracerProvider` (`@opentelemetry/api`). */
export interface TracerProviderLike {
  getTracer(name: string, version?: string): object;
}

/**
 * `tracing: true` or these options. Spans go through `@opentelemetry/api` (install it next to
 * nitrokit); the OpenTelemetry SDK you register (or `tracerProvider`) records and exports them.
 *
 * @example
 * import { NodeSDK } from "@opentelemetry/sdk-node";
 * new NodeSDK({ serviceName: "shop" }).start(); // provider, context manager, W3C propagator
 * const app = createNitroApp({ tracing: { storage: false } });
 */
export interface NitroTracingConfig {
  /**
   * The `@opentelemetry/api` module, for bundles that cannot import a package by name at run
   * time (Cloudflare Workers): `import * as api from "@opentelemetry/api"`, then `{ api }`.
   * Default: imported by name when `ready()` starts tracing.
   */
  api?: object;
  /** Where spans go. Default: the process's global tracer provider (what the SDK registered). */
  tracerProvider?: TracerProviderLike;
  /** Spans for each middleware and route handler. Default `true`. */
  middleware?: boolean;
  /** Spans for storage operations (`storage getItem`, with the mount, never the values). Default `true`. */
  storage?: boolean;
}

/** The record of one request, as the logger gets it. */
export interface RequestLogRecord {
  method: string;
  path: string;
  status: number;
  /** Milliseconds from the request's arrival to its response (headers ready; a streamed body may go on). */
  duration: number;
  requestId: string;
  /** The request's trace and server span, when tracing is on too (to find the trace from the line). */
  traceId?: string;
  spanId?: string;
}

/** A pino-compatible logger: request lines go to `info` (`warn` for 4xx, `error` for 5xx). */
export interface RequestLogger {
  info(record: RequestLogRecord, message?: string): void;
  warn(record: RequestLogRecord, message?: string): void;
  error(record: RequestLogRecord, message?: string): void;
}

/**
 * `logging: true` or these options: one line per request (method, path, status, duration,
 * request id), human-readable with `dev: true`, JSON lines otherwise.
 *
 * @example
 * import pino from "pino";
 * const app = createNitroApp({ logging: { logger: pino(), requestIdHeader: "x-correlation-id" } });
 */
export interface NitroLoggingConfig {
  /** Where lines go: a pino-compatible logger gets one record per request. Default: stdout. */
  logger?: RequestLogger;
  /** `"json"` or `"pretty"`. Default: `"pretty"` with `dev: true`, `"json"` otherwise. */
  format?: "json" | "pretty";
  /** The request header a request id is read from (and echoed in). Default `"x-request-id"`. */
  requestIdHeader?: string;
}

declare module "h3" {
  interface H3EventContext {
    /** The request's id while `logging` is on: its valid `x-request-id`, or a generated UUID (echoed in the response). */
    requestId?: string;
  }
}
