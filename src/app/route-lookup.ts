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
 * Routes of literal segments, `:name` params and a final wildcard (most apps' every route) get
 * nitrokit's own matcher over the same tree (plain-route-matcher.ts), which reads the path in place
 * instead of splitting it: ~50 ns a lookup instead of the compiled matcher's ~185 ns. Other apps get
 * rou3's.
 *
 * The compiled matcher is a snapshot, made with `new Function`:
 * - it is made after {@link COMPILE_AFTER} lookups with no change in between, off the request that
 *   reaches the count (the compiler module itself loads then, never at start-up), so start-up and the
 *   first requests never pay for it, and an app that keeps adding routes keeps `findRoute`;
 * - a change to the app's route list (h3's `~addRoute` pushes to it, h3's `removeRoute(app, …)`
 *   replaces it) drops it and the count starts again; routes added to or removed from h3's rou3
 *   router directly, behind the app's back, are not seen (h3's own lookup has the same blind spot for
 *   its `~routes`-based tools);
 * - where code cannot be generated (Workers, a CSP without `unsafe-eval`, Node's
 *   `--disallow-code-generation-from-strings`) it is not tried again; with more than
 *   {@link MAX_COMPILED_ROUTES} routes, or a parameter named `__proto__` (an object literal cannot
 *   hold it), it is not made either.
 */
import { findRoute, type MatchedRoute, type RouterContext } from "rou3";
import { isAdoptedRouter, Rou3Params } from "./plain-route-insertion.js";

/** Lookups with no change to the routes before the compiled matcher is made. */
const COMPILE_AFTER = 256;
/**
 * Past this many routes, making the matcher (generating and compiling the function) blocks the event
 * loop for longer than a request should wait: measured ~12 ms for 500 routes, ~26 ms for 1,000.
 */
const MAX_COMPILED_ROUTES = 500;

type Lookup<T> = (method: string, path: string) => MatchedRoute<T> | undefined;

/** What a lookup reads of the h3 app: its rou3 router and its route list (h3's `~rou3`, `~routes`). */
export interface RoutedApp<T> {
  readonly "~rou3": RouterContext<T>;
  readonly "~routes": ReadonlyArray<{ route?: string }>;
}

export class RouteLookup<T> {
  readonly #app: RoutedApp<T>;
  #compiled: Lookup<T> | undefined;
  /** The compiled matcher is rou3's: its params are plain objects, copied into rou3's shape. */
  #compiledByRou3 = false;
  /** The route list, and its length, the compiled matcher was made from. */
  #compiledFrom: RoutedApp<T>["~routes"] | undefined;
  #compiledLength = 0;
  /** Lookups since the routes last changed (counted until the compiled matcher is asked for). */
  #lookups = 0;
  #compileFailed = false;

  constructor(app: RoutedApp<T>) {
    this.#app = app;
  }

  /** Whether lookups go through the compiled matcher now. */
  get compiled(): boolean {
    return this.#compiled !== undefined && this.#unchanged();
  }

  /** Which compiled matcher answers lookups now: nitrokit's plain-route matcher, rou3's, or neither yet. */
  get matcher(): "plain" | "rou3" | undefined {
    if (!this.compiled) return undefined;
    return this.#compiledByRou3 ? "rou3" : "plain";
  }

  /** `findRoute(app["~rou3"], method, path)`'s answer. */
  find(method: string, path: string): MatchedRoute<T> | undefined {
    const compiled = this.#compiled;
    if (compiled !== undefined) {
      if (this.#unchanged()) return this.#compiledByRou3 ? withParamsOfRou3(compiled(method, path)) : compiled(method, path);
      this.#compiled = undefined;
      this.#lookups = 0;
    }
    if (++this.#lookups === COMPILE_AFTER) this.#compileSoon();
    return findRoute(this.#app["~rou3"], method, path);
  }

  #unchanged(): boolean {
    const routes = this.#app["~routes"];
    return routes === this.#compiledFrom && routes.length === this.#compiledLength;
  }

  #compileSoon(): void {
    if (this.#compileFailed) return;
    const routes = this.#app["~routes"];
    const length = routes.length;
    if (length > MAX_COMPILED_ROUTES || routes.some((route) => route.route?.includes(":__proto__"))) return;
    // The plain matcher reads the tree as nitrokit's copy of rou3 builds it (plain-route-insertion.ts).
    if (!isAdoptedRouter(this.#app["~rou3"])) return this.#compileWithRou3(routes, length);
    // Off the request that reached the count, and loaded only then: start-up never pays for either matcher.
    import("./plain-route-matcher.js").then(
      ({ compilePlainRoutes }) => {
        if (!this.#stillAt(routes, length)) return;
        let plain: Lookup<T> | undefined;
        try {
          plain = compilePlainRoutes(this.#app["~rou3"]);
        } catch {
          this.#compileFailed = true; // no code generation here (EvalError): findRoute it stays
          return;
        }
        if (plain !== undefined) this.#useCompiled(plain, false, routes, length);
        else this.#compileWithRou3(routes, length);
      },
      () => {
        this.#compileFailed = true;
      },
    );
  }

  /** rou3's compiled matcher, for route trees the plain matcher does not read. */
  #compileWithRou3(routes: RoutedApp<T>["~routes"], length: number): void {
    import("rou3/compiler").then(
      ({ compileRouter }) => {
        if (!this.#stillAt(routes, length)) return;
        try {
          this.#useCompiled(compileRouter(this.#app["~rou3"]), true, routes, length);
        } catch {
          this.#compileFailed = true;
        }
      },
      () => {
        this.#compileFailed = true;
      },
    );
  }

  /** Whether the routes are still those a matcher is being made for; if not, the count starts again from the change. */
  #stillAt(routes: RoutedApp<T>["~routes"], length: number): boolean {
    if (this.#app["~routes"] === routes && routes.length === length) return true;
    this.#lookups = 0;
    return false;
  }

  #useCompiled(compiled: Lookup<T>, byRou3: boolean, routes: RoutedApp<T>["~routes"], length: number): void {
    this.#compiled = compiled;
    this.#compiledByRou3 = byRou3;
    this.#compiledFrom = routes;
    this.#compiledLength = length;
  }
}

/**
 * rou3's compiled matcher's params are a plain object; rou3's `findRoute` gives one without a prototype.
 * Copied key by key: on Bun (JavaScriptCore) `Object.assign` into the fresh object took ~35 ns more
 * per request than this loop (a route has a handful of params at most).
 */
function withParamsOfRou3<T>(match: MatchedRoute<T> | undefined): MatchedRoute<T> | undefined {
  const params = match?.params;
  if (params === undefined) return match;
  const copy = new Rou3Params();
  const names = Object.keys(params);
  for (let i = 0; i < names.length; i++) copy[names[i]!] = params[names[i]!]!;
  match!.params = copy;
  return match;
}
