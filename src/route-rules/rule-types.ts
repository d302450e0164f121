import type { RateLimitOptions } from "../rate-limit/options.js";
import type { SecurityHeadersOptions } from "../security/headers.js";
import type { CompressOptions } from "../compression/compress.js";

/**
 * nitrokit's own route rules, declared on h3's `RouteRules` (the extension point h3 and Nitro
 * share), so `event.context.routeRules.rateLimit` is typed and the rule handlers type-check.
 */
declare module "h3" {
  interface RouteRules {
    rateLimit?: RateLimitOptions;
    securityHeaders?: SecurityHeadersOptions | true;
    compress?: CompressOptions | true;
    etag?: true;
  }
}

/** The rules nitrokit adds to Nitro's, as users write them in `routeRules`. */
export interface NitrokitRouteRules {
  /**
   * Per-client request limit for the matched paths (see `defineRateLimit`); `false` lifts an
   * inherited one. A narrower pattern may set only some fields (`{ max: 5 }` under a broader
   * pattern's `{ max: 100, window: 60 }`): it gets its own counters with the merged options.
   */
  rateLimit?: Partial<RateLimitOptions> | false;
  /** Helmet-style security headers (see `defineSecurityHeaders`); `false` lifts inherited ones. */
  securityHeaders?: SecurityHeadersOptions | boolean;
  /** Compress responses (see `defineCompression`); `false` turns off an inherited or app-wide `compress`. */
  compress?: CompressOptions | boolean;
  /** Weak ETags and `304 Not Modified` for `GET` bodies in memory (see `defineETag`). */
  etag?: boolean;
}
