import type { ResolvedRouteRules } from "h3";
import { useNitroApp } from "../context.js";

export type { NitroRouteRule } from "./normalize.js";

/**
 * The route rules that apply to `path` in the current app, merged from broad to narrow
 * patterns exactly as requests see them (h3's matcher), for use outside a request:
 * prerenderers, adapters, diagnostics.
 *
 * @example
 * getRouteRules("/blog/hello"); // { headers: { "X-Content-Type": "blog" }, cache: { swr: true, maxAge: 3600 } }
 */
export function getRouteRules(path: string, method?: string): Readonly<ResolvedRouteRules> {
  return useNitroApp().getRouteRules(path, method);
}
