/**
 * The rule engine: h3's rules matching (built by ./matcher.ts without h3's all-pairs ranking) with nitrokit's rule handlers plugged in. Loaded by
 * `ready()` only when the config has route rules (see `AppRouteRules.load`): an app without
 * rules imports neither h3's rules modules nor the handlers of nitrokit's own rules.
 */
import { normalizeRouteRules, ruleHandlers, memoizeRouteRulesMatcher, type MatchResult, type RouteRuleConfig, type RouteRulesMatcher } from "h3/rules";
import type { Middleware } from "h3";
import { tracedProxy } from "./traced-proxy.js";
import { createCacheRule, isCacheRuleMiddleware } from "./cache-rule.js";
import { createHeadersRule, headersOfRule, type HeaderEntries } from "./headers-rule.js";
import { nitrokitRuleHandlers } from "./nitrokit-rules.js";
import { createRulesMatcher, parseRuleKey } from "./matcher.js";
import { createRouteShapes, type RouteInstanceTest } from "./route-shapes.js";

/**
 * How the request path runs the rules matching one method and pathname, memoized with the
 * match: the rules that run before the global middleware, and the cache rule that runs after it.
 */
export interface RequestRules extends MatchResult {
  /** `cors`, `headers`, `redirect`, `proxy`, in h3's order: before the global middleware. */
  readonly leading: Middleware[];
  /** The `cache`/`swr` rule: after the global middleware, around the route handler. */
  readonly cache: Middleware | undefined;
  /**
   * The headers of a `headers` rule that would run first, recorded by the request path instead of a
   * middleware: the one-entry list the rule's middleware records (made once per rule, shared, never changed).
   */
  readonly headers?: readonly HeaderEntries[];
  /** The middleware list last built for this match, reused while the global middleware is unchanged. */
  chain?: { global: Middleware[]; length: number; middleware: Middleware[] };
}

export interface RuleEngine {
  /** h3's matcher over the app's rules, with one set of rule handlers (so cached handlers are shared). */
  readonly match: RouteRulesMatcher;
  /** Splits a match into what runs before the global middleware and the cache rule, which runs after it. */
  requestRules(match: MatchResult): RequestRules;
  /**
   * h3's memo (bounded, per method and pathname) over a matcher answering more than a
   * `MatchResult`; it hands back exactly what the matcher answered, typed as its input.
   */
  memoized<T extends MatchResult>(match: (method: string, pathname: string) => T): (method: string, pathname: string) => T;
  /**
   * For a route pattern whose requests all get the same rules (route-shapes.ts), the test of
   * such a request's pathname; `undefined` when each request must be matched on its own.
   */
  routeShape(route: string): RouteInstanceTest | undefined;
}

export function createRuleEngine(rules: Record<string, RouteRuleConfig>): RuleEngine {
  const normalized = normalizeRouteRules(rules);
  const handlers = { ...ruleHandlers, proxy: tracedProxy, headers: createHeadersRule(), cache: createCacheRule(), ...nitrokitRuleHandlers() };
  return {
    match: createRulesMatcher(normalized, handlers),
    requestRules(match) {
      const leading: Middleware[] = [];
      let cache: Middleware | undefined;
      for (const middleware of match.routeRuleMiddleware) {
        if (isCacheRuleMiddleware(middleware)) cache = middleware;
        else leading.push(middleware);
      }
      // A `headers` rule that runs first only records its headers (and always runs: nothing before
      // it can answer), so the request path records them itself, one middleware layer fewer.
      const headers = leading[0] && headersOfRule(leading[0]);
      if (headers) leading.shift();
      return { routeRules: match.routeRules, matchedRules: match.matchedRules, routeRuleMiddleware: match.routeRuleMiddleware, leading, cache, headers };
    },
    memoized: (match) => memoizeRouteRulesMatcher(match) as typeof match,
    routeShape: createRouteShapes(Object.keys(normalized).map((key) => parseRuleKey(key).pattern)),
  };
}
