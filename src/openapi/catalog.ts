import type { RegisteredRoute, RouteRegistry } from "../app/route-registry.js";
import { kRouteMetaSource, type RouteMetaSource } from "./route-meta.js";

/** One registered route, as the OpenAPI document describes it. */
export interface CatalogRoute {
  /** Lower-case method, `""` for every method. */
  method: string;
  /** The pattern as registered, without the app's `baseURL`. */
  path: string;
  /** What was registered: a handler (typed ones carry `validate` and `meta`), an H3 app or a fetchable object. */
  handler: unknown;
  /**
   * Route meta: the handler's and the one given beside it (`app.get(path, handler, { meta })`,
   * a config handler's `meta`), and what its module declares with `defineRouteMeta`, once loaded.
   */
  meta?: Record<string, unknown>;
}

/**
 * The app's routes as the OpenAPI document sees them, read from the app's route registry
 * (so routes added on `app.h3` or by mounting an H3 app are described too). Apps mounted
 * as a whole (a fetch handler, a Node app) and the server entry are opaque: they are left out.
 */
export class RouteCatalog {
  readonly #registry: RouteRegistry;
  readonly #baseURL: string;
  /** What each lazily registered route module declared with `defineRouteMeta`, by its loader, once imported. */
  readonly #declared = new WeakMap<object, Record<string, unknown>>();

  constructor(registry: RouteRegistry, baseURL: string) {
    this.#registry = registry;
    this.#baseURL = baseURL;
  }

  /** Moves with each registration and each module meta loaded: a cached document is stale when it moved. */
  get version(): number {
    return this.#registry.revision;
  }

  /**
   * Imports the route modules not loaded yet, so what they declare with `defineRouteMeta`
   * is in the document. A module that fails to import is left out of it with a warning
   * (its route answers the same error on request); the next call tries it again.
   */
  async loadDeclaredMeta(warn: (message: string) => void = console.warn): Promise<void> {
    // One at a time: a module's meta can then be told by being the only one declared during its import.
    for (const route of this.#described()) {
      const handler = route.source.handler as { [kRouteMetaSource]?: RouteMetaSource } | undefined;
      const source = handler?.[kRouteMetaSource];
      if (typeof source?.loadMeta !== "function" || this.#declared.has(handler!)) continue;
      try {
        const meta = (await source.loadMeta()) ?? {};
        this.#declared.set(handler!, meta);
        if (Object.keys(meta).length > 0) this.#registry.touch();
      } catch (error) {
        const path = this.#withoutBase(route.pattern);
        warn(`[nitrokit] OpenAPI: ${route.method || "ALL"} ${path} is described without its route meta: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  routes(): CatalogRoute[] {
    return this.#described().map((route) => {
      const declared = this.#declared.get(route.source.handler as object);
      const meta = declared ? { ...declared, ...route.meta } : route.meta && { ...route.meta };
      return {
        method: route.method.toLowerCase(),
        path: this.#withoutBase(route.pattern),
        handler: route.source.handler,
        ...(meta && Object.keys(meta).length > 0 ? { meta } : {}),
      };
    });
  }

  #described(): RegisteredRoute[] {
    return this.#registry.entries().filter(({ source }) => !source.catchAll && !source.opaque);
  }

  #withoutBase(pattern: string): string {
    if (!this.#baseURL || !pattern.startsWith(this.#baseURL)) return pattern;
    return pattern.slice(this.#baseURL.length) || "/";
  }
}
