/**
 * How an app finds a request's route: rou3's `findRoute` over h3's router at first, then, once
 * the routes have stayed the same for a while, rou3's compiled matcher over the same router.
 *
 * Why: `findRoute` looks the whole path up as a key of a plain object (rou3's table of static
 * routes), then splits it and walks the tree by object keys. For a path the process has not seen
 * (every `/api/users/<id>` of real traffic) each of those lookups makes V8 intern the string
 * first. Measured on Node 20: ~2 µs per lookup of a new path, ~0.9 µs of a repeated one. rou3's
 * `compileRouter` turns the same routes into one function of string comparisons: ~0.4 µs either
 * way, and the same answers (rou3 keeps both in step; test/app/route-lookup.test.ts compares them).
 *
 * The compiled matcher is a snapshot, made with `new Function`:
 * - it is made after {@link COMPILE_AFTER} lookups with no change in between, off the request that
 *   reaches the count (the compiler module itself loads then, never at start-up), so start-up and the
 *   first requests never pay for it, and an app that keeps adding routes keeps `findRoute`;
 * - any access to the router from outside (h3's `~addRoute`, h3's `removeRoute(app, …)`) drops it
 *   and the count starts again: the router is reached only through {@link RouteLookup.router};
 * - where code cannot be generated (Workers, a CSP without `unsafe-eval`, Node's
 *   `--disallow-code-generation-from-strings`) it is not tried again; with more than
 *   {@link MAX_COMPILED_ROUTES} routes, or a parameter named `__proto__` (an object literal cannot
 *   hold it), it is not made either.
 */
import { findRoute, type MatchedRoute, type RouterContext } from "rou3";

/** Lookups with no change to the routes before the compiled matcher is made. */
const COMPILE_AFTER = 256;
/**
 * Past this many routes, making the matcher (generating and compiling the function) blocks the event
 * loop for longer than a request should wait: measured ~12 ms for 500 routes, ~26 ms for 1,000.
 */
const MAX_COMPILED_ROUTES = 500;

type Lookup<T> = (method: string, path: string) => MatchedRoute<T> | undefined;

/** rou3's params object: no prototype, so `params.toString` is no param. */
const NullProtoParams = function NullProtoParams() {} as unknown as new () => Record<string, string>;
NullProtoParams.prototype = Object.create(null) as object;

export class RouteLookup<T> {
  #router: RouterContext<T>;
  #compiled: Lookup<T> | undefined;
  /** Lookups since the routes last changed (counted until the compiled matcher is asked for). */
  #lookups = 0;
  /** Bumped on every change, so a matcher compiled from an older router is thrown away. */
  #version = 0;
  #compileFailed = false;
  readonly #routePatterns: () => readonly string[];

  /** @param routePatterns the patterns of the routes in the router (h3's `~routes`), checked before compiling. */
  constructor(router: RouterContext<T>, routePatterns: () => readonly string[]) {
    this.#router = router;
    this.#routePatterns = routePatterns;
  }

  /** The router, for whoever changes it: handing it out counts as a change. */
  get router(): RouterContext<T> {
    this.#changed();
    return this.#router;
  }

  set router(router: RouterContext<T>) {
    this.#router = router;
    this.#changed();
  }

  /** Whether lookups go through the compiled matcher now. */
  get compiled(): boolean {
    return this.#compiled !== undefined;
  }

  /** `findRoute(router, method, path)`'s answer. */
  find(method: string, path: string): MatchedRoute<T> | undefined {
    const compiled = this.#compiled;
    if (compiled !== undefined) return withParamsOfRou3(compiled(method, path));
    if (++this.#lookups === COMPILE_AFTER) this.#compileSoon();
    return findRoute(this.#router, method, path);
  }

  #changed(): void {
    this.#compiled = undefined;
    this.#lookups = 0;
    this.#version++;
  }

  #compileSoon(): void {
    if (this.#compileFailed) return;
    const patterns = this.#routePatterns();
    if (patterns.length > MAX_COMPILED_ROUTES || patterns.some((pattern) => pattern.includes(":__proto__"))) return;
    const version = this.#version;
    import("rou3/compiler").then(
      ({ compileRouter }) => {
        if (version !== this.#version) return;
        try {
          this.#compiled = compileRouter(this.#router);
        } catch {
          // No code generation here (EvalError): findRoute it stays.
          this.#compileFailed = true;
        }
      },
      () => {
        this.#compileFailed = true;
      },
    );
  }
}

/** The compiled matcher's params are a plain object; rou3's `findRoute` gives one without a prototype. */
function withParamsOfRou3<T>(match: MatchedRoute<T> | undefined): MatchedRoute<T> | undefined {
  const params = match?.params;
  if (params === undefined) return match;
  const own = new NullProtoParams();
  for (const name in params) own[name] = params[name]!;
  match!.params = own;
  return match;
}
