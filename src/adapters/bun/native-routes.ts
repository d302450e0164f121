import type { RouteRegistry } from "../../app/route-registry.js";

/** A Bun route handler: the request, and the server (for upgrades). */
type BunRouteHandler<S> = (request: Request, server: S) => Response | Promise<Response | undefined> | undefined;

/**
 * Bun's native `routes` table (Bun ≥ 1.2.3) for the app's static paths, each served
 * by `handler` — the same function as Bun's `fetch`, so every request still runs the
 * whole app (middleware, route rules, hooks, h3's router) and answers exactly as
 * through `fetch`. What changes is only which of Bun's two entry points dispatches it.
 * Patterns with params or wildcards stay with `fetch`: Bun's matching rules for them
 * (trailing slashes, `*`) differ from rou3's, and every path they miss reaches `fetch`.
 */
export function nativeRoutes<S>(routes: RouteRegistry, handler: BunRouteHandler<S>): Record<string, BunRouteHandler<S>> {
  const table: Record<string, BunRouteHandler<S>> = {};
  for (const { pattern } of routes.entries()) {
    if (/[:*]/.test(pattern) || pattern.endsWith("/")) continue;
    table[pattern] = handler;
  }
  return table;
}
