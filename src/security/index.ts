import type { Middleware } from "h3";
import { resolveSecurityHeaders, securityHeadersMiddleware, type SecurityHeadersOptions } from "./headers.js";

export type { SecurityHeadersOptions } from "./headers.js";

/**
 * Security headers as middleware, the same as the `securityHeaders` route rule: Helmet's defaults
 * (`X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, `Cross-Origin-Opener-Policy`,
 * `X-Frame-Options: SAMEORIGIN`, `Strict-Transport-Security` on HTTPS, …), `Content-Security-Policy`
 * when you ask for one. Each is overridable or can be left out (`false`); a header the route sets
 * itself is kept.
 *
 * @example
 * import { createNitroApp, defineSecurityHeaders } from "nitrokit";
 * const app = createNitroApp();
 * app.use(defineSecurityHeaders({ contentSecurityPolicy: { "default-src": "'self'" }, xFrameOptions: "DENY" }));
 * app.get("/", () => "hello");
 * const res = await app.fetch(new Request("http://localhost/"));
 * res.headers.get("x-frame-options"); // "DENY"
 */
export function defineSecurityHeaders(options: SecurityHeadersOptions | true = true): Middleware {
  return securityHeadersMiddleware(resolveSecurityHeaders(options, "defineSecurityHeaders()"));
}
