import { useNitroApp } from "../app/context.js";
import type { NitroRouteRulesMatch } from "./rules.js";

export type { NitroRouteRule } from "./normalize.js";
export type { NitroRouteRulesMatch } from "./rules.js";

/**
 * The route rules that apply to a request with `method` to `pathname` in the current app,
 * merged from broad to narrow patterns exactly as requests see them (h3's matcher), and
 * the middleware they run: Nitro 3's `getRouteRules(method, pathname)` from `nitro/app`.
 * Pass `""` as the method for rules that do not depend on it. For prerenderers, adapters,
 * diagnostics.
 *
 * @example
 * const { routeRules } = getRouteRules("GET", "/blog/hello");
 * routeRules; // { headers: { "X-Content-Type": "blog" }, cache: { swr: true, maxAge: 3600 } }
 */
export function getRouteRules(method: string, pathname: string): NitroRouteRulesMatch {
  return useNitroApp().getRouteRules(method, pathname);
}
