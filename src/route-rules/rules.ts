import { isPreflightRequest, type H3Event, type Middleware } from "h3";
import { toH3RouteRules, type NitroRouteRule } from "./normalize.js";
import type { RequestRules, RuleEngine } from "./engine.js";
import type { RouteInstanceTest } from "./route-shapes.js";
import { recordRuleHeaders } from "./headers-rule.js";
import type { NitroRouteRulesMatch } from "../types/route-rules.js";

export type { NitroRouteRulesMatch } from "../types/route-rules.js";

/**
 * What is known of a route's requests (see `AppRouteRules#requestRules`): which of them share
 * their rules, and those rules by method. Kept on h3's route entry itself, as h3 keeps the
 * route's composed middleware there (a property read, where a WeakMap hashes the entry), under
 * a symbol per `AppRouteRules`, so two apps sharing a route entry (one mounted in another) keep
 * their own rules.
 */
interface RouteRulesMemo {
  isPlainRequest: RouteInstanceTest | undefined;
  byMethod: Map<string, RequestRules>;
}

/** What h3's router matched for a request, as h3 hands it to `~getMiddleware`. */
type MatchedRoute = { data?: { route?: string } };
/** h3's route entry, with what the rules of each app keep on it. */
type RouteEntry = { route?: string; [slot: symbol]: RouteRulesMemo | undefined };

const HTTP_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "TRACE", "QUERY"]);

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
 * `cache`/`swr` rules go through `defineCachedHandler` on the app's storage (see
 * `createCacheRule`); `proxy` is h3's. One memoized matcher serves the request path
 * and `getRouteRules()`, so both always see the same rules.
 */
export class AppRouteRules {
  readonly #rules: Record<string, ReturnType<typeof toH3RouteRules>[string]>;
  /** h3's matcher and nitrokit's rule handlers, loaded by `load()` (in `ready()`) when there are rules. */
  #engine: RuleEngine | undefined;
  #match: ((method: string, pathname: string) => RequestRules) | undefined;
  #matchPreflight: ((requestedMethod: string, pathname: string) => RequestRules) | undefined;
  /** Where this app keeps what it knows of each route's requests, on h3's route entry (see {@link RouteRulesMemo}). */
  readonly #memoSlot = Symbol("nitrokit.routeRules");

  constructor(rules: Record<string, NitroRouteRule> | undefined) {
    this.#rules = toH3RouteRules(rules ?? {});
  }

  get empty(): boolean {
    return Object.keys(this.#rules).length === 0;
  }

  /**
   * Loads the rule engine (h3's rules matcher, nitrokit's rule handlers) when there are rules:
   * `ready()` awaits it, so an app without rules never imports them, and one with rules pays
   * for them before its first request rather than at import.
   */
  async load(): Promise<void> {
    if (this.empty || this.#engine) return;
    const { createRuleEngine } = await import("./engine.js");
    this.#engine ??= createRuleEngine(this.#rules);
  }

  /** Whether some rule adds headers: the request path then adds them to responses (see headers-rule.ts). */
  get addsHeaders(): boolean {
    return Object.values(this.#rules).some((rule) => rule.headers !== undefined);
  }

  /**
   * The rules that apply to a request with `method` to `pathname`, and the middleware they
   * run, as the request path resolves them (`method` `""` for any method, as Nitro's callers pass).
   */
  resolve(method: string, pathname: string): NitroRouteRulesMatch {
    if (this.empty) return { routeRules: {}, routeRuleMiddleware: [] };
    const { routeRules, routeRuleMiddleware } = this.#rulesFor(method.toUpperCase(), pathname);
    return { routeRules, routeRuleMiddleware };
  }

  /**
   * The middleware h3 runs for `event` (its `~getMiddleware`), in Nitro 3's order whenever
   * anything was registered: the rules that can answer or decorate first (`cors`, `headers`,
   * `redirect`, `proxy`), then `global` (the app's middleware, in registration order), then
   * the `cache` rule, which wraps the route's own middleware and handler, so a cached response
   * is only served to a request the global middleware let through. Sets
   * `event.context.routeRules`. Without a matching rule it answers `global` itself: no
   * allocation; with one, the list built for that match is reused while `global` is unchanged.
   */
  middlewareFor(event: H3Event, global: Middleware[], route?: MatchedRoute): Middleware[] {
    const method = event.req.method.toUpperCase();
    const rules = method === "OPTIONS" && isPreflightRequest(event) ? this.#preflightRulesFor(event) : this.#requestRules(method, event.url.pathname, route);
    const previous = event.context.routeRules;
    // A context handed in with rules (an outer app's) keeps them under these, as h3's `routeRules()` middleware does.
    event.context.routeRules = previous ? Object.assign(Object.create(null), previous, rules.routeRules) : rules.routeRules;
    if (rules.headers) recordRuleHeaders(event.context, rules.headers);
    if (rules.leading.length === 0 && rules.cache === undefined) return global;
    const chain = rules.chain;
    if (chain && chain.global === global && chain.length === global.length) return chain.middleware;
    const middleware = rules.cache ? [...rules.leading, ...global, rules.cache] : [...rules.leading, ...global];
    rules.chain = { global, length: global.length, middleware };
    return middleware;
  }

  /**
   * The rules of a request, kept with the route it matched where they cannot depend on the
   * path: a request to the route's own path (`/api/hello` as `/api/hello`), or a plain request
   * to a route whose requests all match the same rules (`/api/users/42` under `/api/**`; see
   * route-shapes.ts). They are found by the route's identity, where the memo below hashes the
   * method and path of every request; other requests go to the memo.
   */
  #requestRules(method: string, pathname: string, route: MatchedRoute | undefined): RequestRules {
    const data = route?.data as RouteEntry | undefined;
    if (data === undefined) return this.#rulesFor(method, pathname);
    let known = data[this.#memoSlot];
    if (known === undefined) {
      const isPlainRequest = data.route === undefined ? undefined : this.#engineOf().routeShape(data.route);
      data[this.#memoSlot] = known = { isPlainRequest, byMethod: new Map() };
    }
    if (data.route !== pathname && !known.isPlainRequest?.(pathname)) return this.#rulesFor(method, pathname);
    let rules = known.byMethod.get(method);
    if (rules === undefined) known.byMethod.set(method, (rules = this.#rulesFor(method, pathname)));
    return rules;
  }

  #rulesFor(method: string, pathname: string): RequestRules {
    const engine = this.#engineOf();
    return (this.#match ??= engine.memoized((method, pathname) => engine.requestRules(engine.match(method, pathname))))(method, pathname);
  }

  /**
   * A CORS preflight asks about another method: a `cors` rule scoped to that method
   * (`"POST /api/**": { cors }`) answers it, as h3's `routeRules()` middleware does.
   */
  #preflightRulesFor(event: H3Event): RequestRules {
    const pathname = event.url.pathname;
    const requested = event.req.headers.get("access-control-request-method")?.toUpperCase();
    if (!requested || !HTTP_METHODS.has(requested)) return this.#rulesFor("OPTIONS", pathname);
    const engine = this.#engineOf();
    return (this.#matchPreflight ??= engine.memoized((requested, pathname) => {
      const options = this.#rulesFor("OPTIONS", pathname);
      const cors = engine.match(requested, pathname).matchedRules.cors;
      const corsMiddleware = cors?.handler?.handler(cors);
      if (!cors || !corsMiddleware || cors === options.matchedRules.cors) return options;
      return {
        routeRules: Object.assign(Object.create(null), options.routeRules, { cors: cors.options }),
        matchedRules: { ...options.matchedRules, cors },
        routeRuleMiddleware: [corsMiddleware, ...options.routeRuleMiddleware],
        // The cors rule answers every preflight, so nothing after it runs.
        leading: [corsMiddleware],
        cache: undefined,
      };
    }))(requested, pathname);
  }

  #engineOf(): RuleEngine {
    if (this.#engine) return this.#engine;
    throw new Error("[nitrokit] Route rules are matched once app.ready() has loaded them: call getRouteRules() in a handler, a plugin, or after `await app.ready()`.");
  }
}
