import { kLoadRouteMeta, type RouteMetaLoader } from "./route-meta.js";

/** One registered route, as the OpenAPI document describes it. */
export interface CatalogRoute {
  /** Lower-case method, `""` for every method. */
  method: string;
  /** The pattern as registered, without the app's `baseURL`. */
  path: string;
  /** What was registered: a handler (typed ones carry `validate` and `meta`), an H3 app or a fetchable object. */
  handler: unknown;
  /**
   * Route meta given beside the handler (`app.get(path, handler, { meta })`, a config
   * handler's `meta`) or declared by its module with `defineRouteMeta`, once loaded.
   */
  meta?: Record<string, unknown>;
}

/** The routes registered on an app, in order, for the OpenAPI document. */
export class RouteCatalog {
  readonly #routes: CatalogRoute[] = [];
  /** Routes whose module declares its meta when imported, not imported yet. */
  readonly #pending = new Map<CatalogRoute, RouteMetaLoader>();
  #version = 0;

  add(method: string, path: string, handler: unknown, meta?: Record<string, unknown>): void {
    const route: CatalogRoute = { method, path, handler, ...(meta ? { meta } : {}) };
    this.#routes.push(route);
    this.#version++;
    const load = (handler as { [kLoadRouteMeta]?: RouteMetaLoader } | undefined)?.[kLoadRouteMeta];
    if (typeof load === "function") this.#pending.set(route, load);
  }

  /** Moves with each registration and each module meta loaded: a cached document is stale when it moved. */
  get version(): number {
    return this.#version;
  }

  /**
   * Imports the route modules not loaded yet, so what they declare with `defineRouteMeta`
   * is in the document. A module that fails to import is left out of it with a warning
   * (its route answers the same error on request); the next call tries it again.
   */
  async loadDeclaredMeta(warn: (message: string) => void = console.warn): Promise<void> {
    if (this.#pending.size === 0) return;
    // One at a time: a module's meta can then be told by being the only one declared during its import.
    for (const [route, load] of [...this.#pending]) {
      try {
        const meta = await load();
        this.#pending.delete(route);
        if (meta && Object.keys(meta).length > 0) {
          route.meta = { ...meta, ...route.meta };
          this.#version++;
        }
      } catch (error) {
        warn(`[nitrokit] OpenAPI: ${route.method.toUpperCase() || "ALL"} ${route.path} is described without its route meta: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  routes(): readonly CatalogRoute[] {
    return this.#routes;
  }
}
