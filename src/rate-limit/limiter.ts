import { HTTPError, getRequestIP, type H3Event, type Middleware } from "h3";
import type { Storage } from "unstorage";
import { appOfEvent, useNitroApp } from "../app/context.js";
import { errorResponse } from "../errors/error-response.js";
import type { NitroApp } from "../types/app.js";
import type { ResolvedRateLimitOptions } from "./options.js";
import { counterFor, type RateLimitCounter, type RateLimitHit } from "./store.js";

/** What a client without a known address counts against (in-process `app.fetch`, some platforms). */
const UNKNOWN_CLIENT = "unknown";

/**
 * A rate limit as middleware: counts the request, then lets it continue with `RateLimit`
 * headers or answers `429` itself, before anything after it in the chain runs.
 * `bucket` names the counters (with the window and max, so two different limits never share).
 */
export function rateLimitMiddleware(options: ResolvedRateLimitOptions, bucket: string): Middleware {
  const policy = `"${options.name}";q=${options.max};w=${Math.ceil(options.windowMs / 1000)}`;
  const scope = `${encodeURIComponent(bucket)}:${options.max}:${options.windowMs}:`;
  return async function rateLimit(event: H3Event, next) {
    const client = await clientKey(event, options);
    if (client === undefined) return next();
    const app = appOfEvent(event) ?? useNitroApp();
    const counter = counterFor(app.storage as Storage, options.storage, "rateLimit");
    let hit: RateLimitHit;
    try {
      const counted = counter.hit(scope + encodeURIComponent(client), options.windowMs);
      hit = await (counter.remote ? withTimeout(counted, options.timeout, counter.mount) : counted);
      counter.outage = false;
    } catch (error) {
      reportOutage(app, counter, error, event);
      if (options.failClosed) return unavailable(event);
      return next();
    }
    const remaining = Math.max(0, options.max - hit.count);
    const resetSeconds = Math.max(1, Math.ceil(hit.resetInMs / 1000));
    const state = `"${options.name}";r=${remaining};t=${resetSeconds}`;
    if (hit.count > options.max) return tooManyRequests(event, options, policy, state, resetSeconds);
    if (!options.headers) return next();
    event.res.headers.set("ratelimit-policy", policy);
    event.res.headers.set("ratelimit", state);
    // An error answer uses `errHeaders`: filled only when there is one (it is another Headers to build).
    const withErrorHeaders = () => {
      event.res.errHeaders.set("ratelimit-policy", policy);
      event.res.errHeaders.set("ratelimit", state);
    };
    try {
      const result = await next();
      if (result instanceof Error || (result instanceof Response && result.status >= 400)) withErrorHeaders();
      return result;
    } catch (error) {
      withErrorHeaders();
      throw error;
    }
  };
}

async function clientKey(event: H3Event, options: ResolvedRateLimitOptions): Promise<string | undefined> {
  if (options.key) {
    const key = await options.key(event);
    return key === undefined || key === "" ? undefined : String(key);
  }
  return clientIP(event, options.trustedProxies) ?? UNKNOWN_CLIENT;
}

/**
 * The socket address, or with `trustedProxies` hops in front, the address the outermost of
 * them saw: `X-Forwarded-For` read from the right, so entries a client wrote itself are skipped.
 */
function clientIP(event: H3Event, trustedProxies: number): string | undefined {
  if (trustedProxies > 0) {
    const forwarded = event.req.headers.get("x-forwarded-for");
    if (forwarded) {
      const hops = forwarded.split(",").map((hop) => hop.trim());
      const client = hops[hops.length - trustedProxies];
      if (client) return client;
    }
  }
  return getRequestIP(event);
}

function tooManyRequests(event: H3Event, options: ResolvedRateLimitOptions, policy: string, state: string, retryAfter: number): Response {
  const error = new HTTPError({
    status: 429,
    message: `Too many requests: at most ${options.max} per ${formatWindow(options.windowMs)}. Retry in ${retryAfter} s.`,
    headers: { "retry-after": String(retryAfter), "ratelimit-policy": policy, ratelimit: state },
  });
  return errorResponse(error, { dev: false, headers: stagedHeaders(event) });
}

function unavailable(event: H3Event): Response {
  const error = new HTTPError({
    status: 503,
    message: "The rate limit cannot be checked right now; try again shortly.",
    headers: { "retry-after": "1" },
  });
  return errorResponse(error, { dev: false, headers: stagedHeaders(event) });
}

/** What rules that ran before this one (`cors`) staged for the response: an answer from here must carry it too. */
function stagedHeaders(event: H3Event): Headers {
  const headers = new Headers(event.res.headers);
  for (const [name, value] of event.res.errHeaders) headers.set(name, value);
  return headers;
}

function reportOutage(app: NitroApp, counter: RateLimitCounter, error: unknown, event: H3Event): void {
  if (counter.outage) return;
  counter.outage = true;
  const reported = new Error(
    `[nitrokit] rateLimit: storage mount '${counter.mount}' failed; requests are counted again once it answers.`,
    { cause: error },
  );
  if (app.hooks.has("error")) void app.captureError(reported, { event, tags: ["rate-limit"] });
  else console.error(reported.message, error);
}

function withTimeout<T>(promise: Promise<T>, ms: number, mount: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`storage mount '${mount}' did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function formatWindow(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}
