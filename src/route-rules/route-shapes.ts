/**
 * Which routes' requests all get the same route rules, whatever their parameters hold.
 *
 * The rules of a request are matched on its method and pathname; the request path keeps them
 * per route and method (rules.ts) wherever that cannot change the answer, instead of asking the
 * memoized matcher, which hashes the method and the whole path of every request (its key is a
 * new string each time). For `/api/users/:id` under `/api/**` and `/admin/**`, every
 * `/api/users/<id>` matches `/api/**` and nothing else, so one lookup serves them all.
 *
 * That holds when both of these do:
 * - no rule pattern tells the route's requests apart: at each of the route's parameter segments,
 *   every pattern that has not already matched or failed on a literal segment takes any segment
 *   (`:name`, `*`, `**`), never a literal (`/api/users/42` would match only one user);
 * - the request is a plain spelling of the route: the same number of segments, the route's literal
 *   segments as they are, and parameter values of unreserved characters only (no `%` escapes, no
 *   `.` or `..` segments, nothing empty). Only such a pathname has a single reading: h3's matcher
 *   also matches a path's decoded and canonical readings (so `/api/%61dmin` meets `/api/admin`'s
 *   rules), and any other pathname goes to it.
 * Patterns this module does not read (groups, modifiers, regular expressions, escapes) make every
 * route's requests go to the matcher.
 */

/** Tells whether a pathname is a plain spelling of the route it was made for (see above). */
export type RouteInstanceTest = (pathname: string) => boolean;

/** One segment of a route or a rule pattern, as far as this module reads it. */
type Segment = { kind: "literal"; text: string } | { kind: "any" } | { kind: "rest" } | { kind: "unread" };

/** Characters a path segment may hold without an escape (RFC 3986 "unreserved"). */
const UNRESERVED_SEGMENT = /^[\w\-.~]+$/;
const PARAM_SEGMENT = /^:\w+$/;
const REST_SEGMENT = /^\*\*(?::\w+)?$/;

function readSegment(segment: string): Segment {
  if (segment === "*" || PARAM_SEGMENT.test(segment)) return { kind: "any" };
  if (REST_SEGMENT.test(segment)) return { kind: "rest" };
  if (UNRESERVED_SEGMENT.test(segment) && segment !== "." && segment !== "..") return { kind: "literal", text: segment };
  return { kind: "unread" };
}

function readPattern(pattern: string): Segment[] {
  return pattern === "/" ? [] : pattern.split("/").slice(1).map(readSegment);
}

/**
 * Whether `rule` matches all of `route`'s plain requests or none of them: walking both side by
 * side, the outcome is settled by a `**` in the rule, or by two different literals; a literal in
 * the rule where the route has a parameter, or a segment not read, leaves it open.
 */
function sameForEveryRequest(route: Segment[], rule: Segment[]): boolean {
  for (let index = 0; index < rule.length; index++) {
    const ruleSegment = rule[index]!;
    if (ruleSegment.kind === "unread") return false;
    if (ruleSegment.kind === "rest") return true;
    const routeSegment = route[index];
    // The rule is longer than every request of the route: it never matches, or (rou3 lets a trailing
    // `**` match nothing) matches all; `unread` and `rest` segments later in it were checked above.
    if (routeSegment === undefined) return rule.slice(index).every((segment) => segment.kind !== "unread");
    if (ruleSegment.kind === "any") continue;
    // A literal in the rule: against another, it settles the outcome (no request matches) or passes on.
    if (routeSegment.kind !== "literal") return false;
    if (routeSegment.text !== ruleSegment.text) return true;
  }
  return true;
}

/**
 * For the given rule patterns (rule keys without their method), a function that answers, for
 * a route pattern, the test of its plain requests when they all get the same rules, or
 * `undefined` when their rules may differ (then each request is matched on its own).
 */
export function createRouteShapes(rulePatterns: readonly string[]): (route: string) => RouteInstanceTest | undefined {
  const rules = rulePatterns.map(readPattern);
  return (routePattern) => {
    const route = readPattern(routePattern);
    if (route.some((segment) => segment.kind === "rest" || segment.kind === "unread")) return undefined;
    if (!rules.every((rule) => sameForEveryRequest(route, rule))) return undefined;
    return instanceTest(route.map((segment) => (segment.kind === "literal" ? segment.text : undefined)));
  };
}

/** A parameter segment of a plain request: unreserved characters (`A–Z a–z 0–9 - . _ ~`), not `.` nor `..`. */
const PARAM_SOURCE = "/(?!\\.\\.?(?:/|$))[A-Za-z0-9._~-]+";

/**
 * The test of a route's plain requests: `literals[i]` is segment i's text, `undefined` for a parameter
 * (one or more unreserved characters, not `.` or `..`).
 *
 * One regular expression per route: it runs on every request of the route, and measured inside a
 * `Bun.serve` handler on live requests (Bun 1.4.5, medians) it took ~60 ns where the same test as a
 * loop of `startsWith` and character checks took ~110 ns. Literal segments are RFC 3986 unreserved
 * characters (readSegment), of which only `.` means something in a pattern.
 */
function instanceTest(literals: ReadonlyArray<string | undefined>): RouteInstanceTest {
  const segments = literals.map((literal) => (literal === undefined ? PARAM_SOURCE : `/${literal.replaceAll(".", "\\.")}`));
  const plain = new RegExp(`^${segments.length === 0 ? "/" : segments.join("")}$`);
  return (pathname) => plain.test(pathname);
}
