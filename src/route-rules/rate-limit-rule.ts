import type { RuleHandler } from "h3/rules";
import { rateLimitMiddleware } from "../rate-limit/limiter.js";
import { resolveRateLimitOptions } from "../rate-limit/options.js";

/**
 * The `rateLimit` rule: `defineRateLimit()`'s limiter, counting per rule pattern (all the paths
 * `/api/**` matches share its limit). It runs inside `cors` and `headers` (a browser can read the
 * 429, the rule's headers are on it) and before `redirect`, `proxy`, the global middleware and
 * the cache rule, so a limited request costs one counter update and nothing else.
 */
export function createRateLimitRule(): RuleHandler<"rateLimit"> {
  return {
    order: 0,
    // A gate: an alternate reading of the path must not shed it.
    restricting: true,
    // h3 builds this once per matched method and path (memoized); the counters live in storage,
    // keyed by the pattern, so every path the pattern matches shares one limit.
    handler: (matched) => {
      const options = resolveRateLimitOptions(matched.options, `routeRules['${matched.route}'].rateLimit`);
      return rateLimitMiddleware(options, `rule:${matched.route}`);
    },
  };
}
