/** One registered route, as the OpenAPI document describes it. */
export interface CatalogRoute {
  /** Lower-case method, `""` for every method. */
  method: string;
  /** The pattern as registered, without the app's `baseURL`. */
  path: string;
  /** What was registered: a handler (typed ones carry `validate` and `meta`), an H3 app or a fetchable object. */
  handler: unknown;
}

/** The routes registered on an app, in order, for the OpenAPI document. */
export class RouteCatalog {
  readonly #routes: CatalogRoute[] = [];

  add(method: string, path: string, handler: unknown): void {
    this.#routes.push({ method, path, handler });
  }

  /** Grows with each registration: a cached document is stale when this moved. */
  get size(): number {
    return this.#routes.length;
  }

  routes(): readonly CatalogRoute[] {
    return this.#routes;
  }
}
