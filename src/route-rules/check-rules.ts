import { resolveRateLimitOptions } from "../rate-limit/options.js";
import { resolveSecurityHeaders } from "../security/headers.js";
import { resolveCompressOptions } from "../compression/compress.js";
import type { NitrokitRouteRules } from "./rule-types.js";

/** Checks the options of nitrokit's own rules in one `routeRules` entry; throws naming the pattern and option. */
export function checkNitrokitRules(pattern: string, rule: NitrokitRouteRules): void {
  const where = (name: string) => `routeRules['${pattern}'].${name}`;
  // `false` lifts a rule inherited from a broader pattern; anything else must be valid on its own,
  // except that a narrower pattern may override only some fields (merged at match time, checked there).
  // Missing `max`/`window` are filled with placeholders here so every field given is checked.
  if (rule.rateLimit !== undefined && rule.rateLimit !== false) resolveRateLimitOptions(withPlaceholders(rule.rateLimit, { max: 1, window: 1 }), where("rateLimit"));
  if (rule.securityHeaders !== undefined && rule.securityHeaders !== false) resolveSecurityHeaders(rule.securityHeaders, where("securityHeaders"));
  if (rule.compress !== undefined && rule.compress !== false) resolveCompressOptions(rule.compress, where("compress"));
  if (rule.etag !== undefined && typeof rule.etag !== "boolean") throw new TypeError(`[nitrokit] ${where("etag")}: expected true or false.`);
}

function withPlaceholders(value: unknown, placeholders: Record<string, unknown>): unknown {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? { ...placeholders, ...value } : value;
}
