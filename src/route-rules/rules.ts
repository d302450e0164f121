import { normalizeRouteRules, routeRules, ruleHandlers, createCacheRuleHandler, createRouteRulesMatcher } from "h3/rules";
import { proxy } from "h3/rules/proxy";
import type { EventHandler, Middleware, ResolvedRouteRules } from "h3";
import { defineCachedHandler, type NitroCachedHandlerOptions } from "../cache/index.js";
import { toH3RouteRules, type NitroRouteRule } from "./normalize.js";

/**
 * h3's rules engine (Nitro 3's semantics) with nitrokit's pieces plugged in: the
 * `cache`/`swr` rules go through `defineCachedHandler` on the app's storage, so
 * cached routes and route-rule caching share one implementation; `proxy` is h3's.
 */
export class AppRouteRules {
  readonly #rules: Record<string, ReturnType<typeof toH3RouteRules>[string]>;
  #match: ReturnType<typeof createRouteRulesMatcher> | undefined;

  constructor(rules: Record<string, NitroRouteRule> | undefined) {
    this.#rules = toH3RouteRules(rules ?? {});
  }

  get empty(): boolean {
    return Object.keys(this.#rules).length === 0;
  }

  /** The global middleware that applies the rules to each request. */
  middleware(): Middleware {
    return routeRules(this.#rules, {
      handlers: {
        ...ruleHandlers,
        proxy,
        cache: createCacheRuleHandler({
          defineCachedHandler: (handler: EventHandler, options) => defineCachedHandler(handler, options as NitroCachedHandlerOptions),
          // Keys stable across processes, so instances sharing a storage mount share entries.
          id: "nitrokit",
        }),
      },
    });
  }

  /** The merged rules that apply to `path` (and `method`), as the request path sees them. */
  resolve(path: string, method = "GET"): Readonly<ResolvedRouteRules> {
    // Data only: resolving rules outside a request must not build cache or proxy handlers.
    this.#match ??= createRouteRulesMatcher(normalizeRouteRules(this.#rules), { handlers: { ...ruleHandlers, cache: undefined, proxy: undefined } });
    return this.#match(method.toUpperCase(), path).routeRules;
  }
}
