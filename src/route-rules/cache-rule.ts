import { HTTPResponse, callMiddleware, type EventHandler, type H3Event, type H3Route, type Middleware } from "h3";
import type { RuleHandler } from "h3/rules";
import { defineCachedHandler, type NitroCachedHandlerOptions } from "../cache/index.js";

/** Nitro's group for route-rule entries, so Nitro's code clearing them finds ours. */
const ROUTE_RULES_GROUP = "nitro/route-rules";
/** Keys stable across processes, so instances sharing a storage mount share entries. */
const KEY_SCOPE = "nitrokit";

/** The middleware this handler builds: the request path runs them after the global middleware. */
const cacheRuleMiddleware = new WeakSet<Middleware>();

/** Whether `middleware` is a `cache`/`swr` rule's (it runs last, around the route handler). */
export function isCacheRuleMiddleware(middleware: Middleware): boolean {
  return cacheRuleMiddleware.has(middleware);
}

/**
 * The `cache`/`swr` rule: the matched route's handler, cached through `defineCachedHandler`
 * on the app's storage, so cached routes and route-rule caching share one implementation.
 *
 * It differs from h3's `createCacheRuleHandler` (which Nitro 3 uses) in what it wraps. h3's
 * caches the route's middleware and handler together and, among the rules, runs before the
 * global middleware: authentication middleware never sees a request to a cached route. Here
 * the request path runs this rule after the global middleware, and it wraps the handler only:
 * the route's own middleware runs on every request, hit or miss, with the real request
 * (the cache narrows the handler's request to the `varies` headers). Keys are the ones
 * h3's handler writes (`nitro/route-rules` group, `nitrokit:<method>:<rule>:<route>` names).
 */
export function createCacheRule(): RuleHandler<"cache"> {
  /** One cached handler per route handler and key, shared by every request and path that reaches it. */
  const cachedHandlers = new WeakMap<EventHandler, Map<string, EventHandler>>();
  const cachedFor = (handler: EventHandler, key: string, options: NitroCachedHandlerOptions): EventHandler => {
    let byKey = cachedHandlers.get(handler);
    if (!byKey) cachedHandlers.set(handler, (byKey = new Map()));
    let cached = byKey.get(key);
    if (!cached) byKey.set(key, (cached = defineCachedHandler(handler, { group: ROUTE_RULES_GROUP, name: `${KEY_SCOPE}:${key}`, ...options })));
    return cached;
  };
  return {
    // h3's order for the cache rule: inside every rule that can answer first (redirect, proxy).
    order: 3,
    handler: (matched) => {
      const options = matched.options as NitroCachedHandlerOptions;
      const middleware: Middleware = function cacheRouteRule(event: H3Event, next) {
        const method = event.req.method;
        const route = event.context.matchedRoute as H3Route | undefined;
        // Nothing cacheable (no route: the 404 follows; other methods: the cache stores GET and HEAD only).
        if (!route || (method !== "GET" && method !== "HEAD")) return next();
        const cached = cachedFor(route.handler, `${method}:${matched.route}:${route.route}`, options);
        const answer = route.middleware?.length ? callMiddleware(event, route.middleware, cached) : cached(event);
        return isPromise(answer) ? answer.then(answered) : answered(answer);
      };
      cacheRuleMiddleware.add(middleware);
      return middleware;
    },
  };
}

/** A middleware returning nothing would continue the chain into the uncached handler: answer an empty body instead. */
function answered(result: unknown): unknown {
  return result === undefined ? new HTTPResponse(null) : result;
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as Promise<unknown> | undefined)?.then === "function";
}
