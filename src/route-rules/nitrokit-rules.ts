import type { RuleHandlers } from "h3/rules";
import { createRateLimitRule } from "./rate-limit-rule.js";
import { createSecurityHeadersRule } from "./security-headers-rule.js";
import { createCompressRule, createETagRule } from "./compression-rules.js";

/**
 * nitrokit's rule handlers, next to h3's (`cors` -3, `headers` -1, `redirect` 1, `proxy` 2,
 * `cache` 3). A rule only builds middleware for the paths its pattern matches: the others never see it.
 *
 * - `rateLimit` (0): inside `cors`/`headers`, before everything that can cost (redirect, proxy,
 *   the global middleware, the cache rule, the handler).
 * - `securityHeaders` (-2): outside `headers`, adding its headers after the route answered, so a
 *   `headers` rule or the route's own value wins.
 * - `compress` (-5) and `etag` (-4): the outermost, so they see the final response, the cache
 *   rule's included; the ETag names the uncompressed bytes.
 */
export function nitrokitRuleHandlers(): RuleHandlers {
  return {
    rateLimit: createRateLimitRule(),
    securityHeaders: createSecurityHeadersRule(),
    compress: createCompressRule(),
    etag: createETagRule(),
  };
}
