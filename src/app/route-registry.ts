import type { H3 } from "h3";
import { addRoute, createRouter, findAllRoutes } from "rou3";

/** One route as h3 holds it (h3 does not export the type by name). */
type H3Route = H3["~routes"][number];

/**
 * Where a wrapper that replaces a route's handler in h3's list (tracing's span per handler) keeps the
 * handler it wraps, so the registry still finds what the route was registered with.
 */
const kWrappedHandler = Symbol("nitrokit.wrappedHandler");

type Wrapper = { [kWrappedHandler]?: object };

/** Marks `wrapper` as standing in h3's route list for `handler` (see {@link RouteRegistry}). */
export function wrapsHandler<T extends object>(wrapper: T, handler: object): T {
  (wrapper as Wrapper)[kWrappedHandler] = handler;
  return wrapper;
}

/** The handler as registered: through any wrappers that replaced it in h3's list since. */
function registeredHandler(handler: object): object {
  let current = handler;
  for (let inner = (current as Wrapper)[kWrappedHandler]; inner !== undefined; inner = (current as Wrapper)[kWrappedHandler]) current = inner;
  return current;
}

/** What registered a route, kept for listings and the OpenAPI document: the handler as given, a lazy loader, or a mounted app. */
export interface RouteSource {
  handler: unknown;
  lazy?: boolean;
  mounted?: boolean;
  /** The server entry's `<base>/**`: it claims every path under the base, but is no evidence for 404 against 405. */
  catchAll?: boolean;
  /** An app mounted as a whole (a fetch handler, a Node app) under `<base>/**`: its own routes cannot be seen. */
  opaque?: boolean;
}

/** A registered route: h3's record of it and, when nitrokit registered it, what it was registered with. */
export interface RegisteredRoute {
  /** Upper-case method, `""` for every method. */
  method: string;
  /** The pattern h3 routes by, with the app's `baseURL`. */
  pattern: string;
  /** h3's merged route meta (the handler's, then the one given at registration). */
  meta: Readonly<Record<string, unknown>> | undefined;
  source: RouteSource;
}

/**
 * The app's routes, read from the one list that serves them: h3's own (`app.h3["~routes"]`).
 * A route added through `app.h3` directly, or by mounting an H3 app, is therefore known here
 * like any other. Registration only annotates the handlers it gives h3 with what they came
 * from (a lazy module, a mounted app), for `nitrokit routes` and the OpenAPI document.
 *
 * Everything here is off the hot path: h3 dispatches requests with its own router; this one
 * answers the questions h3's cannot (is there a route for the path under another method:
 * 404 or 405? does the app serve this path at all: the Express fall-through), and is built
 * on the first such question after the list changed, so start-up pays for one route tree.
 */
export class RouteRegistry {
  readonly #h3: H3;
  readonly #sources = new WeakMap<object, RouteSource>();
  /** The index built for `#indexed` (h3 replaces its array when routes are removed). */
  #index: { routes: readonly H3Route[]; length: number; router: ReturnType<typeof createRouter<Set<string>>> } | undefined;
  /** Changes whenever what `entries()` returns may have: routes added or removed, route meta loaded. */
  #revision = 0;
  #seen: { routes: readonly H3Route[]; length: number } | undefined;

  constructor(h3: H3) {
    this.#h3 = h3;
  }

  /**
   * Records what the handler given to h3 was registered with (call right after adding it to h3).
   * A wrapper that later takes the handler's place in h3's list says so with {@link wrapsHandler}.
   */
  annotate(handler: object, source: RouteSource): void {
    this.#sources.set(handler, source);
  }

  /** A counter that moves when the route list or its meta changed: documents built from `entries()` are stale when it moved. */
  get revision(): number {
    const routes = this.#h3["~routes"];
    if (this.#seen?.routes !== routes || this.#seen.length !== routes.length) {
      this.#seen = { routes, length: routes.length };
      this.#revision++;
    }
    return this.#revision;
  }

  /** Marks route meta as changed (a lazily imported module declared its `defineRouteMeta`). */
  touch(): void {
    this.#revision++;
  }

  /** Every route, in registration order. */
  entries(): RegisteredRoute[] {
    return this.#h3["~routes"].map((route) => ({
      method: route.method ?? "",
      pattern: route.route ?? "/",
      meta: route.meta,
      source: this.#sourceOf(route.handler),
    }));
  }

  /** What a handler in h3's list was registered with; a handler registered unannotated stands for itself. */
  #sourceOf(handler: object): RouteSource {
    const registered = registeredHandler(handler);
    return this.#sources.get(registered) ?? { handler: registered };
  }

  /** Whether the app serves `path` at all: a route matches it, or the server entry catches it. */
  owns(path: string): boolean {
    return this.#match(path, true) !== undefined;
  }

  /**
   * The methods some route matching `path` answers, or `undefined` when none matches
   * (the server entry's catch-all does not count). A set holding `""` means every method.
   */
  methodsFor(path: string): Set<string> | undefined {
    return this.#match(path, false);
  }

  #match(path: string, withCatchAll: boolean): Set<string> | undefined {
    const matches = findAllRoutes(this.#router(), "", path);
    let methods: Set<string> | undefined;
    for (const { data } of matches) {
      for (const method of data) {
        if (method === CATCH_ALL && !withCatchAll) continue;
        (methods ??= new Set()).add(method === CATCH_ALL ? "" : method);
      }
    }
    if (methods?.has("GET")) methods.add("HEAD");
    return methods;
  }

  #router(): ReturnType<typeof createRouter<Set<string>>> {
    const routes = this.#h3["~routes"];
    if (this.#index?.routes === routes && this.#index.length === routes.length) return this.#index.router;
    const router = createRouter<Set<string>>();
    const byPattern = new Map<string, Set<string>>();
    for (const route of routes) {
      const pattern = route.route ?? "/";
      let methods = byPattern.get(pattern);
      if (!methods) {
        methods = new Set();
        byPattern.set(pattern, methods);
        addRoute(router, "", pattern, methods);
      }
      methods.add(this.#sourceOf(route.handler).catchAll ? CATCH_ALL : (route.method ?? "").toUpperCase());
    }
    this.#index = { routes, length: routes.length, router };
    return router;
  }
}

/** Stands for the server entry's method in the index: it serves every method but proves no route exists. */
const CATCH_ALL = "~catch-all";
