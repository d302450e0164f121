import type { H3Event } from "h3";

/**
 * Options of a rate limit, as the `rateLimit` route rule and `defineRateLimit()` take them.
 *
 * The limit is a **fixed window** that opens at a client's first request: `max` requests pass,
 * the rest get `429` until the window closes, then the count starts again. Fixed windows are
 * chosen because they are exact (one atomic increment decides; 100 concurrent requests against
 * `max: 10` let exactly 10 through, on one instance or many sharing Redis), cost one storage
 * round trip, and give clients an exact reset time for `Retry-After`. The known trade-off is
 * that a client can spend two windows' worth at a window boundary; halve `window` and `max`
 * when that matters.
 */
export interface RateLimitOptions {
  /** Requests allowed per client in each window. */
  max: number;
  /** Window length: seconds as a number (`60`), or a string such as `"500ms"`, `"10s"`, `"1m"`, `"1h"`, `"1d"`. */
  window: number | string;
  /**
   * The client a request counts against. Default: the client's IP address as the socket sees
   * it (or, with `trustedProxies`, as the nearest trusted proxy reports it). Return `undefined`
   * to let a request through without counting it (e.g. an internal caller).
   */
  key?: (event: H3Event) => string | undefined | Promise<string | undefined>;
  /**
   * How many reverse proxies you run in front of the app, each appending to `X-Forwarded-For`.
   * The client IP is then the entry that many places from the right; entries further left are
   * whatever the client sent and are never trusted. Default `0`: the socket address.
   */
  trustedProxies?: number;
  /** Storage mount holding the counters. Default `"cache"`; mount Redis there to share one limit across instances. */
  storage?: string;
  /**
   * Names the counters and the `RateLimit-Policy` (`"default"` unless set). Two limiters with the
   * same name, window and max share their counters; give each `defineRateLimit()` its own name.
   */
  name?: string;
  /** While the storage fails, answer `503` instead of letting requests through. Default `false` (fail open). */
  failClosed?: boolean;
  /** How long a counter update may take before the storage counts as down, in ms. Default `500`. */
  timeout?: number;
  /** Send `RateLimit`/`RateLimit-Policy` on responses that pass, not only on `429`. Default `true`. */
  headers?: boolean;
}

/** {@link RateLimitOptions} checked and with every default filled in. */
export interface ResolvedRateLimitOptions {
  readonly max: number;
  readonly windowMs: number;
  readonly key: ((event: H3Event) => string | undefined | Promise<string | undefined>) | undefined;
  readonly trustedProxies: number;
  readonly storage: string;
  readonly name: string;
  readonly failClosed: boolean;
  readonly timeout: number;
  readonly headers: boolean;
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const KNOWN_KEYS = new Set(["max", "window", "key", "trustedProxies", "storage", "name", "failClosed", "timeout", "headers"]);
/** A policy name is sent as an HTTP structured-field string: printable ASCII without quotes or backslashes. */
const POLICY_NAME = /^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,64}$/;

/** Checks `input` (from a route rule or `defineRateLimit()`), naming `where` in every error. */
export function resolveRateLimitOptions(input: unknown, where: string): ResolvedRateLimitOptions {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new TypeError(`[nitrokit] ${where}: expected { max, window, key? }, got ${describe(input)}.`);
  }
  const options = input as Record<string, unknown>;
  for (const name of Object.keys(options)) {
    if (!KNOWN_KEYS.has(name)) throw new TypeError(`[nitrokit] ${where}: unknown option '${name}' (expected ${[...KNOWN_KEYS].join(", ")}).`);
  }
  const { max, key, trustedProxies = 0, storage = "cache", name = "default", failClosed = false, timeout = 500, headers = true } = options;
  if (typeof max !== "number" || !Number.isInteger(max) || max < 1) throw new TypeError(`[nitrokit] ${where}.max: expected a whole number ≥ 1, got ${describe(max)}.`);
  if (key !== undefined && typeof key !== "function") throw new TypeError(`[nitrokit] ${where}.key: expected a function (event) => string, got ${describe(key)}.`);
  if (typeof trustedProxies !== "number" || !Number.isInteger(trustedProxies) || trustedProxies < 0) {
    throw new TypeError(`[nitrokit] ${where}.trustedProxies: expected a whole number ≥ 0 (how many proxies append to X-Forwarded-For), got ${describe(trustedProxies)}.`);
  }
  if (typeof storage !== "string" || !/^[\w.-]+$/.test(storage)) throw new TypeError(`[nitrokit] ${where}.storage: expected a storage mount name such as 'cache', got ${describe(storage)}.`);
  if (typeof name !== "string" || !POLICY_NAME.test(name)) throw new TypeError(`[nitrokit] ${where}.name: expected 1-64 printable ASCII characters without quotes, got ${describe(name)}.`);
  if (typeof failClosed !== "boolean") throw new TypeError(`[nitrokit] ${where}.failClosed: expected a boolean, got ${describe(failClosed)}.`);
  if (typeof timeout !== "number" || !(timeout > 0) || !Number.isFinite(timeout)) throw new TypeError(`[nitrokit] ${where}.timeout: expected milliseconds > 0, got ${describe(timeout)}.`);
  if (typeof headers !== "boolean") throw new TypeError(`[nitrokit] ${where}.headers: expected a boolean, got ${describe(headers)}.`);
  return {
    max,
    windowMs: parseWindow(options.window, `${where}.window`),
    key: key as ResolvedRateLimitOptions["key"],
    trustedProxies,
    storage,
    name,
    failClosed,
    timeout,
    headers,
  };
}

function parseWindow(window: unknown, where: string): number {
  let ms: number | undefined;
  if (typeof window === "number") ms = window * 1000;
  else if (typeof window === "string") {
    const match = DURATION.exec(window.trim());
    if (match) ms = Number(match[1]) * UNIT_MS[match[2]!]!;
  }
  if (ms === undefined || !Number.isFinite(ms) || ms < 1) {
    throw new TypeError(`[nitrokit] ${where}: expected seconds (60) or a duration such as '500ms', '10s', '1m', '1h', got ${describe(window)}.`);
  }
  return Math.ceil(ms);
}

function describe(value: unknown): string {
  if (typeof value === "function") return "a function";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}
