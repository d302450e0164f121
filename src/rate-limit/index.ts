import type { Middleware } from "h3";
import { rateLimitMiddleware } from "./limiter.js";
import { resolveRateLimitOptions, type RateLimitOptions } from "./options.js";

export type { RateLimitOptions } from "./options.js";

/**
 * A rate limit as middleware, for `app.use()`, a route's `middleware` option, or anywhere h3 takes
 * middleware: the same limiter as the `rateLimit` route rule (see {@link RateLimitOptions}).
 *
 * Each client (its IP by default, or your `key(event)`) gets `max` requests per fixed `window`;
 * the next ones get `429 Too Many Requests` with `Retry-After`, the IETF `RateLimit-Policy` and
 * `RateLimit` headers and a JSON body. Counters live in a storage mount (`cache` by default):
 * mount Redis there and every instance shares one exact limit. If the storage fails, requests
 * pass (the `error` hook hears once per outage) unless `failClosed: true`.
 *
 * @example
 * import { createNitroApp, defineRateLimit } from "nitrokit";
 * const app = createNitroApp();
 * app.post("/api/login", () => ({ ok: true }), {
 *   middleware: [defineRateLimit({ name: "login", max: 5, window: "1m" })],
 * });
 * const res = await app.fetch(new Request("http://localhost/api/login", { method: "POST" }));
 * res.headers.get("ratelimit"); // '"login";r=4;t=60'
 */
export function defineRateLimit(options: RateLimitOptions): Middleware {
  const resolved = resolveRateLimitOptions(options, "defineRateLimit()");
  return rateLimitMiddleware(resolved, `fn:${resolved.name}`);
}
