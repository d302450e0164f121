/**
 * Type-level route patterns: the params a pattern names, and whether a concrete
 * path (`/api/users/123?x=1`) matches a pattern (`/api/users/:id`), segment by
 * segment as rou3 matches them (`:name` and `*` one segment, `**` the rest).
 */

/** The path without its query string or fragment. */
export type StripQuery<P extends string> = P extends `${infer Path}?${string}` ? Path : P extends `${infer Path}#${string}` ? Path : P;

type Segments<P extends string> = P extends `/${infer Rest}` ? SplitSegments<Rest> : SplitSegments<P>;
type SplitSegments<P extends string> = P extends `${infer Head}/${infer Rest}` ? [Head, ...SplitSegments<Rest>] : [P];

type IsParamSegment<S extends string> = S extends `${string}:${string}` ? true : S extends "*" ? true : false;

type MatchSegments<Pattern extends string[], Path extends string[]> = Pattern extends [infer P extends string, ...infer PRest extends string[]]
  ? P extends "**" | `**:${string}`
    ? true
    : Path extends [infer S extends string, ...infer SRest extends string[]]
      ? IsParamSegment<P> extends true
        ? S extends "" ? false : MatchSegments<PRest, SRest>
        : S extends P
          ? MatchSegments<PRest, SRest>
          : false
      : false
  : Path extends [] ? true : false;

/** True when the concrete `Path` is served by `Pattern`. */
export type MatchesPattern<Pattern extends string, Path extends string> = MatchSegments<Segments<Pattern>, Segments<Path>>;

/** The names of the params in a route pattern: `/users/:id/**:rest` → `"id" | "rest"`. */
export type PathParamNames<Pattern extends string> = string extends Pattern
  ? string
  : { [I in keyof Segments<Pattern>]: SegmentParam<Segments<Pattern>[I]> }[number];

type SegmentParam<S> = S extends `**:${infer Name}` ? Name : S extends `${string}:${infer Name}` ? Name : never;

/** What a handler finds in `event.context.params` for a pattern. */
export type PathParams<Pattern extends string> = string extends Pattern ? Record<string, string> : { [K in PathParamNames<Pattern>]: string };
