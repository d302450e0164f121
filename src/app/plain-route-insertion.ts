/**
 * Adds a plain route (literal segments and `:name` params: `/api/users/:id`) to rou3's tree
 * without going through rou3's pattern parser, building exactly the nodes and the entry rou3's
 * `addRoute` builds for it.
 *
 * Why: rou3's `addRoute` reads every pattern for all it could hold (groups, modifiers, regular
 * expressions, wildcards, escapes, dot segments) before it inserts: measured on Node 20, ~6–9 µs
 * a route even once warm, so ~8 ms of the start-up of an app with 1,000 filesystem routes. A
 * plain pattern holds none of that; checking that it is plain and inserting it takes a fraction.
 *
 * Anything else (and a plain pattern rou3 would refuse: a param name twice) returns `false` before
 * the tree is touched, and the caller hands it to rou3. test/app/route-insertion.test.ts builds
 * random route sets both ways and compares the two trees.
 */
import type { RouterContext } from "rou3";

/** A literal segment rou3 keeps as it is: unreserved characters (and not `.` or `..`, checked apart). */
const PLAIN_LITERAL = /^[\w.~-]+$/;
const PLAIN_PARAM = /^:[A-Za-z_]\w*$/;

/** rou3's tree node and route entry, as far as a plain route makes them. */
interface Node {
  key: string;
  static?: Record<string, Node>;
  param?: Node;
  methods?: Record<string, unknown[]>;
}

/**
 * A table of child segments (rou3's `static`): an object without a prototype, as rou3's own, but
 * made by `Object.create(null)`, which V8 keeps in dictionary mode from the start. rou3's
 * `new NullProtoObj()` starts with fast properties, and each key added to such an object copies
 * its table of property descriptors: quadratic in the keys (measured on Node 20: 1,000 keys
 * ~1.2–3.3 ms, against ~0.13 ms). Reads answer the same either way.
 */
export function createSegmentTable<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/**
 * Adds `data` for `method` (`""` for any) at `pattern` to `router` as rou3's `addRoute` would,
 * when `pattern` is plain; returns `false` (the router untouched) when it is not.
 */
export function addPlainRoute(router: RouterContext<unknown>, method: string, pattern: string, data: unknown): boolean {
  if (pattern.charCodeAt(0) !== 47) return false;
  // "/" has no segments; a trailing slash or an empty segment is left to rou3 (it reads them its own ways).
  const segments = pattern === "/" ? [] : pattern.slice(1).split("/");
  let names: string[] | undefined;
  for (const segment of segments) {
    if (segment.charCodeAt(0) === 58) {
      if (!PLAIN_PARAM.test(segment)) return false;
      const name = segment.slice(1);
      if (names?.includes(name)) return false; // rou3 refuses it, with its own message
      (names ??= []).push(name);
    } else if (!PLAIN_LITERAL.test(segment) || segment === "." || segment === "..") return false;
  }
  let node = router.root as unknown as Node;
  let paramsMap: Array<[index: number, name: string, optional: false]> | undefined;
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index]!;
    if (segment.charCodeAt(0) === 58) {
      node = node.param ??= { key: "*" };
      (paramsMap ??= []).push([index, segment.slice(1), false]);
      continue;
    }
    const statics = (node.static ??= createSegmentTable<Node>());
    node = statics[segment] ??= { key: segment };
  }
  const methods = (node.methods ??= Object.create(null) as Record<string, unknown[]>);
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
