import type { H3Event, Middleware } from "h3";
import { HTTPResponse } from "h3";

/**
 * Options of the `securityHeaders` rule and `defineSecurityHeaders()`: Helmet's defaults, each
 * header overridable by name (a string replaces the value, `false` leaves the header out).
 * A header the route already set (in its handler, its middleware or a `headers` rule) is kept.
 */
export interface SecurityHeadersOptions {
  /**
   * `Content-Security-Policy`. Off unless given (a policy depends on the pages): `true` for
   * Helmet's default policy, a string for your own, or directives (`{ "script-src": ["'self'", "cdn.example"] }`).
   */
  contentSecurityPolicy?: boolean | string | Record<string, string | string[]>;
  /** Report-only variant of the above, for trying a policy out. Off unless given. */
  contentSecurityPolicyReportOnly?: string | Record<string, string | string[]>;
  /**
   * `Strict-Transport-Security`, sent on HTTPS requests only (browsers ignore it over HTTP).
   * Default `max-age=31536000; includeSubDomains`; or `{ maxAge, includeSubDomains, preload }`.
   */
  strictTransportSecurity?: false | string | { maxAge: number; includeSubDomains?: boolean; preload?: boolean };
  /** `Cross-Origin-Opener-Policy`. Default `same-origin`. */
  crossOriginOpenerPolicy?: false | "same-origin" | "same-origin-allow-popups" | "unsafe-none";
  /** `Cross-Origin-Resource-Policy`. Default `same-origin`. */
  crossOriginResourcePolicy?: false | "same-origin" | "same-site" | "cross-origin";
  /** `Cross-Origin-Embedder-Policy`. Off by default (it breaks cross-origin embeds without CORP). */
  crossOriginEmbedderPolicy?: false | "require-corp" | "credentialless" | "unsafe-none";
  /** `Origin-Agent-Cluster`. Default `?1`. */
  originAgentCluster?: false | "?1" | "?0";
  /** `Referrer-Policy`. Default `no-referrer`. */
  referrerPolicy?: false | string;
  /** `X-Content-Type-Options`. Default `nosniff`. */
  xContentTypeOptions?: false | "nosniff";
  /** `X-DNS-Prefetch-Control`. Default `off`. */
  xDnsPrefetchControl?: false | "on" | "off";
  /** `X-Download-Options`. Default `noopen`. */
  xDownloadOptions?: false | "noopen";
  /** `X-Frame-Options`. Default `SAMEORIGIN`. */
  xFrameOptions?: false | "DENY" | "SAMEORIGIN";
  /** `X-Permitted-Cross-Domain-Policies`. Default `none`. */
  xPermittedCrossDomainPolicies?: false | "none" | "master-only" | "by-content-type" | "all";
  /** `X-XSS-Protection`. Default `0` (the old filter caused more holes than it closed). */
  xXssProtection?: false | "0" | "1; mode=block";
  /** `Permissions-Policy`, e.g. `camera=(), geolocation=()`. Off unless given. */
  permissionsPolicy?: string;
}

/** Helmet's default Content-Security-Policy, for `contentSecurityPolicy: true`. */
export const DEFAULT_CONTENT_SECURITY_POLICY =
  "default-src 'self'; base-uri 'self'; font-src 'self' https: data:; form-action 'self'; frame-ancestors 'self'; " +
  "img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' https: 'unsafe-inline'; upgrade-insecure-requests";

const DEFAULT_HSTS = "max-age=31536000; includeSubDomains";

/** Option name → header name and Helmet's default (`undefined`: off unless given). */
const SIMPLE_HEADERS: ReadonlyArray<[keyof SecurityHeadersOptions, string, string | undefined]> = [
  ["crossOriginOpenerPolicy", "cross-origin-opener-policy", "same-origin"],
  ["crossOriginResourcePolicy", "cross-origin-resource-policy", "same-origin"],
  ["crossOriginEmbedderPolicy", "cross-origin-embedder-policy", undefined],
  ["originAgentCluster", "origin-agent-cluster", "?1"],
  ["referrerPolicy", "referrer-policy", "no-referrer"],
  ["xContentTypeOptions", "x-content-type-options", "nosniff"],
  ["xDnsPrefetchControl", "x-dns-prefetch-control", "off"],
  ["xDownloadOptions", "x-download-options", "noopen"],
  ["xFrameOptions", "x-frame-options", "SAMEORIGIN"],
  ["xPermittedCrossDomainPolicies", "x-permitted-cross-domain-policies", "none"],
  ["xXssProtection", "x-xss-protection", "0"],
  ["permissionsPolicy", "permissions-policy", undefined],
];
const KNOWN_OPTIONS = new Set<string>([...SIMPLE_HEADERS.map(([option]) => option), "contentSecurityPolicy", "contentSecurityPolicyReportOnly", "strictTransportSecurity"]);

/** The headers to send: every request gets `always`; HTTPS requests also get `https`. */
export interface ResolvedSecurityHeaders {
  readonly always: ReadonlyArray<[string, string]>;
  readonly https: ReadonlyArray<[string, string]>;
}

/** Checks `input` (`true` or options) and computes the header values once. */
export function resolveSecurityHeaders(input: unknown, where: string): ResolvedSecurityHeaders {
  if (input === true) input = {};
  if (typeof input !== "object" || input === null || Array.isArray(input)) throw new TypeError(`[nitrokit] ${where}: expected true or an object of header options.`);
  const options = input as Record<string, unknown>;
  for (const name of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(name)) throw new TypeError(`[nitrokit] ${where}: unknown option '${name}' (expected one of ${[...KNOWN_OPTIONS].join(", ")}).`);
  }
  const always: Array<[string, string]> = [];
  for (const [option, header, fallback] of SIMPLE_HEADERS) {
    const value = options[option] ?? fallback;
    if (value === false || value === undefined) continue;
    always.push([header, headerValue(value, `${where}.${option}`)]);
  }
  const csp = options.contentSecurityPolicy;
  if (csp !== undefined && csp !== false) always.push(["content-security-policy", csp === true ? DEFAULT_CONTENT_SECURITY_POLICY : policy(csp, `${where}.contentSecurityPolicy`)]);
  const cspReportOnly = options.contentSecurityPolicyReportOnly;
  if (cspReportOnly !== undefined) always.push(["content-security-policy-report-only", policy(cspReportOnly, `${where}.contentSecurityPolicyReportOnly`)]);
  const hsts = options.strictTransportSecurity ?? DEFAULT_HSTS;
  const https: Array<[string, string]> = hsts === false ? [] : [["strict-transport-security", hstsValue(hsts, `${where}.strictTransportSecurity`)]];
  return { always, https };
}

function headerValue(value: unknown, where: string): string {
  // No CR/LF: a header value must not be able to start another header.
  if (typeof value !== "string" || value === "" || /[\r\n\0]/.test(value)) throw new TypeError(`[nitrokit] ${where}: expected a header value (a non-empty string without line breaks) or false.`);
  return value;
}

function policy(value: unknown, where: string): string {
  if (typeof value === "string") return headerValue(value, where);
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new TypeError(`[nitrokit] ${where}: expected a policy string or { directive: sources }.`);
  const directives = Object.entries(value as Record<string, unknown>).map(([directive, sources]) => {
    if (!/^[a-z][a-z-]*$/.test(directive)) throw new TypeError(`[nitrokit] ${where}: '${directive}' is not a directive name (lower-case, such as 'script-src').`);
    const list = Array.isArray(sources) ? sources : [sources];
    for (const source of list) if (typeof source !== "string" || /[;,\r\n]/.test(source)) throw new TypeError(`[nitrokit] ${where}['${directive}']: expected source strings without ';' or ','.`);
    return list.length ? `${directive} ${list.join(" ")}` : directive;
  });
  return headerValue(directives.join("; "), where);
}

function hstsValue(value: unknown, where: string): string {
  if (typeof value === "string") return headerValue(value, where);
  const hsts = value as { maxAge?: unknown; includeSubDomains?: unknown; preload?: unknown };
  if (typeof hsts !== "object" || hsts === null || typeof hsts.maxAge !== "number" || !Number.isInteger(hsts.maxAge) || hsts.maxAge < 0) {
    throw new TypeError(`[nitrokit] ${where}: expected false, a header value, or { maxAge (whole seconds), includeSubDomains?, preload? }.`);
  }
  return `max-age=${hsts.maxAge}${hsts.includeSubDomains === false ? "" : "; includeSubDomains"}${hsts.preload ? "; preload" : ""}`;
}

/** Whether the client reached us over HTTPS (directly, or as the TLS-terminating proxy says: spoofing it only adds a header browsers ignore on HTTP). */
function isHTTPS(event: H3Event): boolean {
  return event.url.protocol === "https:" || event.req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
}

/**
 * Middleware adding `headers` to every response it lets through, after the route answered, so
 * whatever the route set itself wins. Error responses keep the app's own stricter set.
 */
export function securityHeadersMiddleware(headers: ResolvedSecurityHeaders): Middleware {
  return async function securityHeaders(event, next) {
    // Read before the chain runs: what runs inside may narrow the request (the cache rule does).
    const entries = headers.https.length && isHTTPS(event) ? [...headers.always, ...headers.https] : headers.always;
    return withDefaultHeaders(event, await next(), entries);
  };
}

/** Adds each of `entries` the response does not have yet; returns what to answer. */
export function withDefaultHeaders(event: H3Event, result: unknown, entries: ReadonlyArray<readonly [string, string]>): unknown {
  if (result instanceof Response) {
    const missing = entries.filter(([name]) => !result.headers.has(name));
    if (missing.length === 0) return result;
    try {
      for (const [name, value] of missing) result.headers.set(name, value);
      return result;
    } catch {
      // Immutable headers (a fetched Response, e.g. from a proxy): answer a copy.
      const copy = new Response(result.body, result);
      for (const [name, value] of missing) copy.headers.set(name, value);
      return copy;
    }
  }
  const own = result instanceof HTTPResponse ? result.headers : undefined;
  const staged = event.res.headers;
  for (const [name, value] of entries) if (!staged.has(name) && !own?.has(name)) staged.set(name, value);
  return result;
}
