import type { Middleware, ResolvedRouteRules } from "h3";

/** What `AppRouteRules.resolve` answers: Nitro 3's `getRouteRules()` shape. */
export interface NitroRouteRulesMatch {
  /** The merged rule options that apply (`{ headers, cache, redirect, … }`). */
  routeRules: Readonly<ResolvedRouteRules>;
  /** The middleware those rules run before the route handler, in h3's order. */
  routeRuleMiddleware: Middleware[];
}
