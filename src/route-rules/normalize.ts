import type { RouteRuleConfig } from "h3/rules";
import type { NitrokitRouteRules } from "./rule-types.js";
import { checkNitrokitRules } from "./check-rules.js";

/**
 * Nitro's route rule options as users write them (`redirect.statusCode`, `static`, `prerender`, `isr`),
 * plus nitrokit's production rules (`rateLimit`, …).
 */
export type NitroRouteRule = RouteRuleConfig & NitrokitRouteRules & {
  redirect?: RouteRuleConfig["redirect"] | { to: string; statusCode?: number; status?: number };
  /** Data for prerendering and adapters; no effect at run time. */
  static?: boolean;
  prerender?: boolean;
  isr?: boolean | number;
  [custom: string]: unknown;
};

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Nitro's route rules in h3's terms, refusing names that would reach an object's
 * prototype (a config parsed from JSON can carry them as own keys).
 */
export function toH3RouteRules(rules: Record<string, NitroRouteRule>): Record<string, RouteRuleConfig> {
  const result: Record<string, RouteRuleConfig> = Object.create(null);
  for (const pattern of Object.keys(rules)) {
    assertSafeKey(pattern, "routeRules");
    const rule = rules[pattern]!;
    for (const name of Object.keys(rule)) assertSafeKey(name, `routeRules['${pattern}']`);
    const headers = rule.headers;
    if (headers && typeof headers === "object") for (const name of Object.keys(headers)) assertSafeKey(name, `routeRules['${pattern}'].headers`);
    // nitrokit's own rules are checked here, so a mistake fails createNitroApp(), not a request.
    checkNitrokitRules(pattern, rule);
    result[pattern] = toH3Rule(rule);
  }
  return result;
}

/** An upstream that accepts and never answers must not hold a request forever: 504 after this. */
export const DEFAULT_PROXY_TIMEOUT_MS = 30_000;

function toH3Rule(rule: NitroRouteRule): RouteRuleConfig {
  const result = { ...rule } as Record<string, unknown>;
  const redirect = rule.redirect;
  if (redirect && typeof redirect === "object" && "statusCode" in redirect && redirect.status === undefined) {
    // Nitro spells it statusCode; h3 reads status and would silently redirect with 307.
    const { statusCode, ...target } = redirect;
    result.redirect = { ...target, status: statusCode };
  }
  const proxy = rule.proxy;
  if (typeof proxy === "string") result.proxy = { to: proxy, timeout: DEFAULT_PROXY_TIMEOUT_MS };
  else if (proxy && proxy.timeout === undefined) result.proxy = { ...proxy, timeout: DEFAULT_PROXY_TIMEOUT_MS };
  return result as RouteRuleConfig;
}

function assertSafeKey(key: string, where: string): void {
  if (FORBIDDEN_KEYS.has(key)) {
    throw new TypeError(`[nitrokit] ${where}: the key '${key}' is not allowed (it names an object prototype).`);
  }
}
