import type { $Fetch, FetchOptions } from "ofetch";
import type { MatchesPattern, PathParamNames, StripQuery } from "./path-types.js";
import type { RouteEndpoint } from "./route-types.js";
import type { Serialized } from "./serialize.js";

/*
 * How these types stay fast with hundreds of routes (bench/types.mjs measures it):
 * - an app's type carries a flat union of `TypedRoute` interfaces, spelled out at each
 *   registration (an alias would keep its arguments and nest one level per route);
 * - everything a call needs is computed once per app type into a `RouteIndex`, built
 *   from mapped types whose templates only mention the route being mapped;
 * - a call's signature receives that index as one type parameter and only indexes into
 *   it. Each mention of the route union inside a generic signature makes the compiler
 *   walk the whole union on every call, and matching a generic path against every
 *   pattern makes its constraints explode.
 */

/** Lower-case method names the registration methods are named after. */
export type RouteMethod = "get" | "post" | "put" | "patch" | "delete" | "head" | "options" | "all";

/** One route in an app's type: its pattern, method and endpoint. An app's type carries the union of its routes. */
export interface TypedRoute<Path extends string = string, Method extends RouteMethod = RouteMethod, Endpoint extends RouteEndpoint = RouteEndpoint> {
  path: Path;
  method: Method;
  endpoint: Endpoint;
}

/**
 * The routes of an app created by `createNitroApp()` before any chained registration.
 * A type of its own rather than `never`, so that such an app is still a `NitroApp` (whose
 * routes are `any`): `any` is assignable to this, not to `never`.
 */
export type NoRoutes = TypedRoute<never, never, RouteEndpoint<never, never, never>>;

/** The app's routes as a map, pattern → method → endpoint: `RouteMap<RoutesOf<typeof app>>["/api/users"]["post"]`. */
export type RouteMap<Routes extends TypedRoute> = {
  [P in Routes["path"]]: { [R in Extract<Routes, { path: P }> as R["method"]]: R["endpoint"] };
};

// --- paths ------------------------------------------------------------------

type MatchingCandidates<Candidates, Path extends string> = Candidates extends string
  ? MatchesPattern<Candidates, Path> extends true
    ? Candidates
    : never
  : never;

/** Patterns by their static part up to the segment of the first param or wildcard: `/api/users/:id` → `/api/users/`. */
type PatternsByPrefix<Patterns extends string> = { [K in Patterns as StaticPrefix<K>]: K };

type StaticPrefix<P extends string> = P extends `${infer Head}:${string}` ? UpToSlash<Head> : P extends `${infer Head}*${string}` ? UpToSlash<Head> : P;
type UpToSlash<S extends string, Kept extends string = ""> = S extends `${infer Segment}/${infer Rest}` ? UpToSlash<Rest, `${Kept}${Segment}/`> : Kept;

/** Every `/…/` prefix of a path: `/api/users/7` → `/` | `/api/` | `/api/users/`. */
type Prefixes<P extends string, Kept extends string = "/"> = P extends `/${infer Segment}/${infer Rest}` ? Kept | Prefixes<`/${Rest}`, `${Kept}${Segment}/`> : Kept;

type PatternTemplate<P extends string> = P extends `${infer Head}/${infer Rest}`
  ? `${SegmentTemplate<Head>}/${PatternTemplate<Rest>}`
  : SegmentTemplate<P>;
type SegmentTemplate<S extends string> = S extends `${string}:${string}` | "*" | "**" ? string : S;

// --- options and results ----------------------------------------------------

type IsUnchecked<T> = unknown extends T ? true : false;
type AllOptional<T> = {} extends T ? true : undefined extends T ? true : false;
type HasRequiredKeys<T> = {} extends T ? false : true;

type BodyOption<Body> = IsUnchecked<Body> extends true ? { body?: FetchOptions["body"] } : AllOptional<Body> extends true ? { body?: Body } : { body: Body };

type QueryOption<Query> = IsUnchecked<Query> extends true
  ? { query?: Record<string, unknown> }
  : AllOptional<Query> extends true
    ? { query?: Query }
    : { query: Query };

type PathParamsOption<Pattern extends string> = [PathParamNames<Pattern>] extends [never]
  ? { pathParams?: never }
  : { pathParams: { [K in PathParamNames<Pattern>]: string | number } };

/** ofetch's options, less those a typed call checks itself. */
type BaseOptions = Omit<FetchOptions<"json">, "method" | "body" | "query" | "params" | "responseType">;

/** The options of a typed request for `Endpoint`: ofetch's, with body, query and (for a pattern) path params checked. */
export type TypedFetchOptions<Endpoint extends RouteEndpoint, Pattern extends string = never> = BaseOptions &
  BodyOption<Endpoint["body"]> &
  QueryOption<Endpoint["query"]> &
  ([Pattern] extends [never] ? { pathParams?: never } : PathParamsOption<Pattern>);

/** A call to one route, computed once per route. */
interface RouteCall<Method extends RouteMethod, PatternOptions, ConcreteOptions, Result> {
  method: Method;
  /** Options when the path is the pattern itself (`/users/:id`, with `pathParams`). */
  pattern: PatternOptions;
  /** Options when the path is concrete (`/users/7`). */
  concrete: ConcreteOptions;
  result: Result;
}

type CallOf<R> = R extends TypedRoute
  ? RouteCall<R["method"], TypedFetchOptions<R["endpoint"], R["path"]>, TypedFetchOptions<R["endpoint"]>, Serialized<R["endpoint"]["output"]>>
  : never;

/**
 * What a call needs to know of an app's routes, computed once per app type: the calls by
 * pattern (a union per pattern, one per method), the patterns, the patterns by static
 * prefix (to find the candidates for a concrete path) and the paths to list in errors.
 */
export interface RouteIndex<Calls = unknown, Patterns extends string = string, ByPrefix = unknown, Known extends string = string> {
  calls: Calls;
  patterns: Patterns;
  byPrefix: ByPrefix;
  known: Known;
}

/** The index of an app's routes. */
export type IndexOf<Routes extends TypedRoute> = RouteIndex<
  { [R in Routes as R["path"]]: CallOf<R> },
  Routes["path"],
  PatternsByPrefix<Routes["path"]>,
  // Every path a client may ask for: the patterns and the concrete paths they match (`/api/users/${string}`),
  // spelled out rather than behind an alias, so that errors list them.
  { [K in Routes["path"]]: K | PatternTemplate<K> }[Routes["path"]]
>;

type Lookup<T, K> = K extends keyof T ? T[K] : never;

/** The patterns that serve `Path`: the pattern itself when `Path` is one, else those it matches, segment by segment. */
type MatchedIn<Index extends RouteIndex, Path extends string> =
  StripQuery<Path> extends Index["patterns"]
    ? StripQuery<Path>
    : MatchingCandidates<Lookup<Index["byPrefix"], Prefixes<StripQuery<Path>>>, StripQuery<Path>>;

/**
 * `Path` when some route serves it; otherwise the known paths, so that the error lists them
 * (or, for a path those templates would accept, such as `/users/1/x` beside `/users/:id`, a
 * message naming it).
 */
type CheckedIn<Index extends RouteIndex, Path extends string> = [MatchedIn<Index, Path>] extends [never]
  ? Path extends Index["known"]
    ? `No route matches ${Path}`
    : Index["known"]
  : Path;

/** How the path was given: as the pattern itself (`/users/:id`, with `pathParams`) or as a concrete path. */
type PathForm = "pattern" | "concrete";
type FormIn<Index extends RouteIndex, Path extends string> = StripQuery<Path> extends Index["patterns"] ? "pattern" : "concrete";

type AnyMethod = Exclude<RouteMethod, "all">;
type CallsAt<Index extends RouteIndex, Pattern> = Extract<Lookup<Index["calls"], Pattern>, RouteCall<RouteMethod, unknown, unknown, unknown>>;
type MethodsIn<Index extends RouteIndex, Pattern> =
  "all" extends CallsAt<Index, Pattern>["method"] ? AnyMethod : CallsAt<Index, Pattern>["method"];

/** The methods a route answers, in either case (`"post"`, `"POST"`). */
export type AllowedMethod<Index extends RouteIndex, Pattern> = MethodsIn<Index, Pattern> | Uppercase<MethodsIn<Index, Pattern>>;

/** The method a request uses when it names none: GET where the route answers it; else it must name one. */
export type DefaultMethod<Index extends RouteIndex, Pattern> = "get" extends MethodsIn<Index, Pattern> ? "get" : AllowedMethod<Index, Pattern>;

/** The call `method` makes on `Pattern`: the route registered for the method, else the pattern's `all` route. */
type CallIn<Index extends RouteIndex, Pattern, Method extends string> =
  [Extract<CallsAt<Index, Pattern>, { method: Lowercase<Method> }>] extends [never]
    ? Extract<CallsAt<Index, Pattern>, { method: "all" }>
    : Extract<CallsAt<Index, Pattern>, { method: Lowercase<Method> }>;

type MethodOption<Method extends string> = Lowercase<Method> extends "get" ? { method?: Method } : { method: Method };

// `method?: Method` is also where the method is inferred from.
type OptionsArgs<Options, Method extends string> =
  HasRequiredKeys<Options & MethodOption<Method>> extends true
    ? [options: Options & MethodOption<Method>]
    : [options?: Options & MethodOption<Method>];

/** The options argument: required when the route needs a method, body, query or path params. */
export type TypedFetchArgs<Index extends RouteIndex, Pattern, Method extends string, Form extends PathForm> = [Pattern] extends [never]
  ? [options?: FetchOptions<"json">] // the path is the error; do not add one about the options
  : OptionsArgs<Lookup<CallIn<Index, Pattern, Method>, Form>, Method>;

/** What a typed request resolves to: the handler's result, awaited and JSON-serialised. */
export type TypedFetchResult<Index extends RouteIndex, Pattern, Method extends string> = Lookup<CallIn<Index, Pattern, Method>, "result">;

/**
 * `$fetch` typed by an app's routes: the path must be a registered route (a pattern such
 * as `/api/users/:id` with `pathParams`, or a concrete path such as `/api/users/123`), the
 * method one it answers, the body and query what its schemas accept, and the result is
 * what the handler returns, as JSON. `raw`, `native` and `create` are ofetch's, untyped.
 */
export interface TypedFetch<Routes extends TypedRoute> {
  <
    const Path extends string,
    // Not for callers: computed from the routes and `Path` (see the note at the top of this file).
    Index extends RouteIndex = IndexOf<Routes>,
    Pattern extends Index["patterns"] = Extract<MatchedIn<Index, Path>, Index["patterns"]>,
    Form extends PathForm = FormIn<Index, Path>,
    Method extends MethodsIn<Index, Pattern> | Uppercase<MethodsIn<Index, Pattern>> = DefaultMethod<Index, Pattern>,
  >(
    path: CheckedIn<Index, Path>,
    ...options: TypedFetchArgs<Index, Pattern, Method, Form>
  ): Promise<TypedFetchResult<Index, Pattern, Method>>;
  raw: $Fetch["raw"];
  native: $Fetch["native"];
  create: $Fetch["create"];
}

/**
 * `app.$fetch`: ofetch's `$Fetch` while the app's type has no routes (or is `NitroApp`,
 * whose routes are `any`), typed by them once it has.
 */
export type AppFetch<Routes extends TypedRoute> = [Routes] extends [NoRoutes] ? $Fetch : TypedFetch<Routes>;

/** The routes of an app type (`typeof app`), as a union of `TypedRoute`. */
export type RoutesOf<App> = App extends { readonly "~routes"?: infer Routes extends TypedRoute } ? Routes : never;
