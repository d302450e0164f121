import { addRoute, createRouter, findAllRoutes } from "rou3";

/** What serves a route, kept for listings (`nitrokit routes`): the handler as registered, a lazy loader, or a mounted app. */
export interface RouteSource {
  handler: unknown;
  lazy?: boolean;
  mounted?: boolean;
}

/**
 * Which methods each registered path pattern answers. h3 routes by method and
 * path together, so it cannot tell "no such path" (404) from "no such method on
 * this path" (405), nor whether a request belongs to this app at all (the
 * Express middleware form). This table answers both, off the hot path: it is
 * only consulted when h3 found no route, or by the embedding middleware. Its
 * router is built on that first consultation, not per registration, so start-up
 * pays for one route tree (h3's), not two, however many routes there are.
 */
export class RouteTable {
  #router: ReturnType<typeof createRouter<Set<string>>> | undefined;
  readonly #patterns = new Map<string, Set<string>>();
  readonly #sources = new Map<string, RouteSource>();
  /** The server entry's `<base>/**`: it claims every path under the base, but is no evidence for 404 against 405. */
  #catchAll: string | undefined;

  /** Records `method` (upper case, `""` for every method) on `pattern`, served by `source`. */
  add(method: string, pattern: string, source?: RouteSource): void {
    if (source) this.#sources.set(`${method.toUpperCase()} ${pattern}`, source);
    let methods = this.#patterns.get(pattern);
    if (!methods) {
      methods = new Set();
      this.#patterns.set(pattern, methods);
      if (this.#router) addRoute(this.#router, "", pattern, methods);
    }
    methods.add(method.toUpperCase());
  }

  /** Records the server entry, the catch-all under every route (`<baseURL>/**`), served by `source`. */
  addCatchAll(pattern: string, source: RouteSource): void {
    this.#catchAll = pattern;
    this.#sources.set(` ${pattern}`, source);
  }

  /** Whether the app serves `path` at all: a route matches it, or the server entry catches it. */
  owns(path: string): boolean {
    if (this.#catchAll !== undefined) {
      const base = this.#catchAll.slice(0, -"/**".length);
      if (!base || path === base || path.startsWith(`${base}/`)) return true;
    }
    return this.methodsFor(path) !== undefined;
  }

  /**
   * The methods some pattern matching `path` answers, or `undefined` when no
   * pattern matches. A set holding `""` means "every method".
   */
  methodsFor(path: string): Set<string> | undefined {
    const matches = findAllRoutes(this.#buildRouter(), "", path);
    if (matches.length === 0) return undefined;
    const methods = new Set<string>();
    for (const match of matches) for (const method of match.data) methods.add(method);
    if (methods.has("GET")) methods.add("HEAD");
    return methods;
  }

  #buildRouter(): ReturnType<typeof createRouter<Set<string>>> {
    if (this.#router) return this.#router;
    this.#router = createRouter<Set<string>>();
    for (const [pattern, methods] of this.#patterns) addRoute(this.#router, "", pattern, methods);
    return this.#router;
  }

  /** Every registered pattern with its methods, for route listings. */
  entries(): Array<{ pattern: string; methods: string[] }> {
    const entries = [...this.#patterns].map(([pattern, methods]) => ({ pattern, methods: [...methods] }));
    if (this.#catchAll !== undefined) entries.push({ pattern: this.#catchAll, methods: [""] });
    return entries;
  }

  /** What serves `method` (upper case, `""` for every method) on `pattern`, when it was recorded. */
  sourceOf(method: string, pattern: string): RouteSource | undefined {
    return this.#sources.get(`${method} ${pattern}`);
  }
}
