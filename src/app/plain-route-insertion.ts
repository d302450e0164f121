/**
 * Adds a plain route (literal segments and `:name` params, maybe a final wildcard: `/api/users/:id`,
 * `/files/**:path`, `/api/**`) to rou3's tree without going through rou3's pattern parser, building
 * exactly the nodes and the entry rou3's `addRoute` builds for it.
 *
 * Why: rou3's `addRoute` reads every pattern for all it could hold (groups, modifiers, regular
 * expressions, wildcards, escapes, dot segments) before it inserts. A plain pattern holds none of
 * that, and nearly every route is one. Measured (bench/boot-instructions.mjs, instructions from
 * start to the first answer): an app with 10 filesystem routes −6.8M (rou3's parser is never even
 * compiled: ~0.7 ms of its registration), with 1,000 routes −14M. In wall time the 1,000-route
 * start-up comes out even: V8 then optimizes this function instead of rou3's, on the same core.
 *
 * Anything else (and a plain pattern rou3 would refuse: a param name twice) returns `false` before
 * the tree is touched, and the caller hands it to rou3. test/app/route-insertion.test.ts builds
 * random route sets both ways and compares the two trees.
 */
import { createRouter, type RouterContext } from "rou3";

/**
 * A plain pattern: segments that are each a literal of unreserved characters other than `.` and `..`
 * (rou3 resolves those) or a `:name` param, the last of which may instead be a wildcard, `**` or `**:name`.
 */
const PLAIN_PATTERN = /^(?:\/(?:(?!\.\.?(?:\/|$))[\w.~-]+|:[A-Za-z_]\w*))*\/(?:(?!\.\.?$)[\w.~-]+|:[A-Za-z_]\w*|\*\*(?::[A-Za-z_]\w*)?)$/;

/** rou3's tree node and route entry, as far as a plain route makes them. */
interface Node {
  key: string;
  static?: Record<string, Node>;
  param?: Node;
  wildcard?: Node;
  methods?: Record<string, unknown[]>;
}

/**
 * A table of child segments (rou3's `static`): an object without a prototype, as rou3's own, but
 * made by `Object.create(null)`, which V8 keeps in dictionary mode from the start. rou3's
 * `new NullProtoObj()` starts with fast properties, and each key added to such an object copies
 * its table of property descriptors: quadratic in the keys (measured on Node 20: 1,000 keys
 * ~1.2–3.3 ms, against ~0.13 ms). Reads answer the same either way.
 */
function createSegmentTable<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/**
 * The prototype of the null-prototype objects nitrokit's copy of rou3 makes (its `NullProtoObj`):
 * a router whose static table has it was made by that very copy.
 */
const ROU3_NULL_PROTO = Object.getPrototypeOf(createRouter().static) as object;
/** Params objects in rou3's own shape (`findRoute`'s): that prototype, so `params.toString` is no param. */
export const Rou3Params = function Rou3Params() {} as unknown as new () => Record<string, string>;
Rou3Params.prototype = ROU3_NULL_PROTO;

/** Routers made by nitrokit's copy of rou3 (see {@link adoptRouter}). */
const ownRouters = new WeakSet<object>();

/**
 * Takes on a fresh router (h3's `~rou3`) for the plain-route fast paths, when nitrokit's copy of rou3
 * made it: this module and plain-route-matcher.ts write and read the tree as that copy (pinned in
 * package.json) builds it. A router from another copy (a package manager may give h3 a rou3 of its
 * own) keeps rou3's own insertion and compiler. Its static-path table is moved into one made by
 * {@link createSegmentTable}. Returns whether it was taken on.
 */
export function adoptRouter(router: RouterContext<unknown>): boolean {
  if (Object.getPrototypeOf(router.static) !== ROU3_NULL_PROTO) return false;
  router.static = Object.assign(createSegmentTable(), router.static);
  ownRouters.add(router);
  return true;
}

/** Whether {@link adoptRouter} took `router` on. */
export function isAdoptedRouter(router: object): boolean {
  return ownRouters.has(router);
}

/**
 * Adds `data` for `method` (`""` for any) at `pattern` to `router` as rou3's `addRoute` would,
 * when `pattern` is plain; returns `false` (the router untouched) when it is not.
 *
 * One regular expression checks the whole pattern; the insertion reads the segments by index.
 */
export function addPlainRoute(router: RouterContext<unknown>, method: string, pattern: string, data: unknown): boolean {
  // "/" has no segments; a trailing slash or an empty segment is left to rou3 (it reads them its own ways).
  if (pattern !== "/" && !PLAIN_PATTERN.test(pattern)) return false;
  const segments = pattern === "/" ? [] : pattern.slice(1).split("/");
  // rou3 refuses a param name twice (an unnamed `**` takes the name `_`), with its own message.
  const colon = pattern.indexOf(":");
  if (colon !== -1 && (colon !== pattern.lastIndexOf(":") || pattern.includes("**")) && repeatsAName(segments)) return false;
  let node = router.root as unknown as Node;
  let paramsMap: unknown[][] | undefined;
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index]!;
    if (segment.charCodeAt(0) === 58) {
      node = node.param ??= { key: "*" };
      (paramsMap ??= []).push([index, segment.slice(1), false]);
    } else if (segment.charCodeAt(0) === 42) {
      // The final wildcard: rou3's entry says where it starts, its name ("0" for the first unnamed one), whether it may match nothing.
      node = node.wildcard ??= { key: "**" };
      const named = segment.length > 2;
      (paramsMap ??= []).push([-(index + 1), named ? segment.slice(3) : "0", !named, false, undefined, false]);
    } else {
      const statics = (node.static ??= createSegmentTable<Node>());
      node = statics[segment] ??= { key: segment };
    }
  }
  const methods = (node.methods ??= createSegmentTable<unknown[]>());
  // The entry's fields in rou3's order, so rou3's own code keeps seeing one shape.
  (methods[method.toUpperCase()] ??= []).push({
    data: data ?? null,
    paramsRegexp: [],
    paramsMap,
    route: pattern,
    suffix: undefined,
    variants: undefined,
    rank: 0,
  });
  if (paramsMap === undefined) (router.static as Record<string, unknown>)[segments.length > 0 ? pattern : ""] = node;
  return true;
}

function repeatsAName(segments: string[]): boolean {
  const names: string[] = [];
  for (const segment of segments) {
    if (segment.charCodeAt(0) === 58) names.push(segment.slice(1));
    else if (segment.charCodeAt(0) === 42) names.push(segment.length > 2 ? segment.slice(3) : "_");
  }
  return new Set(names).size !== names.length;
}
