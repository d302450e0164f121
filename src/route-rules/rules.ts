import { normalizeRouteRules, routeRules, ruleHandlers, createCacheRuleHandler, createRouteRulesMatcher, memoizeRouteRulesMatcher, type RuleHandlers } from "h3/rules";
import { proxy } from "h3/rules/proxy";
import type { EventHandler, Middleware, ResolvedRouteRules } from "h3";
import { defineCachedHandler, type NitroCachedHandlerOptions } from "../cache/index.js";
import { toH3RouteRules, type NitroRouteRule } from "./normalize.js";

/** What {@link AppRouteRules.resolve} answers: Nitro 3's `getRouteRules()` shape. */
export interface NitroRouteRulesMatch {
  /** The merged rule options that apply (`{ headers, cache, redirect, … }`). */
  routeRules: Readonly<ResolvedRouteRules>;
  /** The middleware those rules run before the route handler, in h3's order. */
  routeRuleMiddleware: Middleware[];
}

/**
 * Nitro 3's order is `(method, pathname)`; nitrokit's earlier `(path, method?)` would silently
 * match nothing, so a call in that order (or without a path) is refused with the fix.
 */
export function assertRouteRulesArguments(method: unknown, pathname: unknown): void {
  if (typeof pathname === "string" && pathname.startsWith("/") && typeof method === "string" && !method.startsWith("/")) return;
  const swapped = typeof method === "string" && method.startsWith("/");
  throw new TypeError(
    `[nitrokit] getRouteRules(method, pathname) takes the method first, as in Nitro 3: ` +
      (swapped ? `getRouteRules(${JSON.stringify(typeof pathname === "string" ? pathname : "")}, ${JSON.stringify(method)})` : `getRouteRules("GET", "/path")`) +
      ` ("" for any method); it returns { routeRules, routeRuleMiddleware }.`,
  );
}

/**
 * h3's rules engine (Nitro 3's semantics) with nitrokit's pieces plugged in: the
 * `cache`/`swr` rules go through `defineCachedHandler` on the app's storage, so
 * cached routes and route-rule caching share one implementation; `proxy` is h3's.
 */
export class AppRouteRules {
  readonly #rules: Record<string, ReturnType<typeof toH3RouteRules>[string]>;
  #match: ReturnType<typeof createRouteRulesMatcher> | undefined;
  #ruleHandlers: RuleHandlers | undefined;

  constructor(rules: Record<string, NitroRouteRule> | undefined) {
    this.#rules = toH3RouteRules(rules ?? {});
  }

  get empty(): boolean {
    return Object.keys(this.#rules).length === 0;
  }

  /** The global middleware that applies the rules to each request. */
  middleware(): Middleware {
    return routeRules(this.#rules, { handlers: this.#handlers() });
  }

  /**
   * The rules that apply to a request with `method` to `pathname`, and the middleware they
   * run, as the request path resolves them (`method` `""` for any method, as Nitro's callers pass).
   */
  resolve(method: string, pathname: string): NitroRouteRulesMatch {
    this.#match ??= memoizeRouteRulesMatcher(createRouteRulesMatcher(normalizeRouteRules(this.#rules), { handlers: this.#handlers() }));
    const { routeRules, routeRuleMiddleware } = this.#match(method.toUpperCase(), pathname);
    return { routeRules, routeRuleMiddleware };
  }

  /** One set of rule handlers, so the request path and `getRouteRules()` share cached handlers. */
  #handlers(): RuleHandlers {
    return (this.#ruleHandlers ??= {
      ...ruleHandlers,
      proxy,
      cache: createCacheRuleHandler({
        defineCachedHandler: (handler: EventHandler, options) => defineCachedHandler(handler, options as NitroCachedHandlerOptions),
        // Nitro's group, so Nitro's code clearing route-rule entries finds ours.
        defaults: { group: "nitro/route-rules" },
        // Keys stable across processes, so instances sharing a storage mount share entries.
        id: "nitrokit",
      }),
    });
  }
}
