import type { RuleHandler } from "h3/rules";
import { resolveSecurityHeaders, securityHeadersMiddleware } from "../security/headers.js";

/**
 * The `securityHeaders` rule. Order -2: outside `headers` (-1), so a `headers` rule (or the route
 * itself) setting one of the same names wins, and it adds its headers after the route answered.
 */
export function createSecurityHeadersRule(): RuleHandler<"securityHeaders"> {
  return {
    order: -2,
    handler: (matched) => securityHeadersMiddleware(resolveSecurityHeaders(matched.options, `routeRules['${matched.route}'].securityHeaders`)),
  };
}
