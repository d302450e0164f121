/**
 * A route matcher for the routes nearly every app has: literal segments, `:name` parameters and
 * a wildcard at the end (`/api/hello`, `/api/users/:id/posts/:post`, `/files/**:path`, `/**`),
 * answering exactly as rou3's `findRoute` does over the same router, in about a quarter of the
 * time of rou3's compiled matcher.
 *
 * Why: rou3's compiled matcher (`rou3/compiler`) begins every lookup that is not a static route
 * with `path.split("/")`: an array and a string per segment, for every `/api/users/<id>` request.
 * Measured on Node 20 (fresh path strings, as a server gets them from its HTTP parser): ~185 ns
 * a lookup; this matcher, reading the segments in place with `indexOf` and `startsWith`, ~50 ns.
 * It also makes the params object in rou3's own shape (no prototype), where the compiled
 * matcher's plain object has to be copied into one (route-lookup.ts).
 *
 * It reads rou3's tree as rou3 walks it (`_lookupTree`): at each node the request's next segment
 * tries the literal child spelled the same, then the parameter child, then the node's wildcard,
 * backtracking when a branch ends without a route for the method; a route registered for any
 * method (`""`) answers every method, weighed against a method's own route as rou3 weighs them. A request that ends where a wildcard begins matches it only
 * when the wildcard may match nothing (`**`, a final `*`; not `**:name`), as in rou3. It is made
 * only for trees it reads completely; anything else (regular expressions, optional or mixed
 * segments, a wildcard with segments after it, several routes on one node and method) returns
 * `undefined`, and rou3's compiler
 * serves that app. Paths rou3 treats apart (an empty segment: `/a//b`) go to `findRoute` itself.
 * test/app/route-lookup.test.ts compares its answers with `findRoute`'s on random route sets.
 */
import { findRoute, type MatchedRoute, type RouterContext } from "rou3";
import { Rou3Params } from "./plain-route-insertion.js";

type Lookup<T> = (method: string, path: string) => MatchedRoute<T> | undefined;

/** rou3's tree node (not exported by rou3): only what this module reads. */
interface TreeNode {
  key: string;
  static?: Record<string, TreeNode>;
  param?: TreeNode;
  wildcard?: TreeNode;
  methods?: Record<string, RouteEntry[] | undefined>;
  [other: string]: unknown;
}

/** rou3's route entry on a node. */
interface RouteEntry {
  data: unknown;
  paramsRegexp: unknown[];
  paramsMap?: unknown[][];
  [other: string]: unknown;
}

/** Node and entry fields whose meaning this module knows; a tree with any other field is left to rou3. */
const NODE_FIELDS = new Set(["key", "static", "param", "wildcard", "methods"]);
const WILDCARD_FIELDS = new Set(["key", "methods"]);
const ENTRY_FIELDS = new Set(["data", "paramsRegexp", "paramsMap", "route", "suffix", "variants", "rank"]);
/** Literal children of one node compared one by one; past this many, looked up by name. */
const LITERAL_CHAIN_MAX = 8;

/** How a request meets a route's node: ending there, or at a wildcard that matches no segment or the rest of the path. */
type Reading = "end" | "none" | "rest";

/** rou3's entry for a wildcard's param (`**`, `**:name`, a final `*`): where it starts (`~index`), its name and flags. */
type RestParam = [index: number, name: string, optional: boolean, plain: boolean, pattern: null | undefined, join: boolean];

/** A wildcard param this module reads: the route's last, starting at the wildcard's segment, not joined, no pattern. */
function isRestParam(param: unknown[], depth: number): param is RestParam {
  const [index, name, optional, plain, pattern, join] = param;
  return (
    param.length === 6 && index === ~depth && typeof name === "string" && typeof optional === "boolean" && typeof plain === "boolean" && pattern == null && join === false
  );
}

/** A wildcard route's param (checked), or `undefined` for a route that ends at its node. */
function restParamOf(entry: RouteEntry, depth: number, reading: Reading): RestParam | undefined {
  if (reading === "end") return undefined;
  const params = entry.paramsMap ?? [];
  const rest = params[params.length - 1];
  if (rest === undefined || !isRestParam(rest, depth)) throw new NotPlain();
  return rest;
}

/** rou3's `matchesZero`: a wildcard may match no segment when it is optional (`**`) or a final `*`. */
function matchesNothing([, , optional, plain]: RestParam): boolean {
  return optional || plain;
}

/**
 * Which of a method's own route and the any-method route on one node answers, as rou3's
 * `_selectMatcher` weighs them (ranks are 0 here, no patterns): a final param that must match
 * something weighs 2, a final `*` 1, an optional wildcard or no param 0; the own route wins ties.
 * Reading `none`, a route that cannot match nothing is out.
 */
function preferred(own: RouteEntry, any: RouteEntry, depth: number, reading: Reading): RouteEntry | undefined {
  const candidates = [own, any].filter((entry) => reading !== "none" || matchesNothing(restParamOf(entry, depth, reading)!));
  let best: RouteEntry | undefined;
  let bestWeight = -1;
  for (const entry of candidates) {
    const weight = weightOf(entry);
    if (weight > bestWeight) [best, bestWeight] = [entry, weight];
  }
  return best;
}

function weightOf(entry: RouteEntry): number {
  const last = entry.paramsMap?.[entry.paramsMap.length - 1];
  if (last === undefined || last[2]) return 0;
  return (last[0] as number) < 0 && last[3] ? 1 : 2;
}

/** Thrown inside the generator when the tree has something it does not read. */
class NotPlain extends Error {}

/**
 * The matcher of `router`'s routes, or `undefined` when they are not all plain (see above).
 * Generates code with `new Function`: throws an `EvalError` where code generation is disallowed.
 */
export function compilePlainRoutes<T>(router: RouterContext<T>): Lookup<T> | undefined {
  const generator = new MatcherSource();
  let body: string;
  try {
    body = generator.node(router.root as unknown as TreeNode, 0);
  } catch (error) {
    if (error instanceof NotPlain) return undefined;
    throw error;
  }
  const constants = generator.constants.map((_, index) => `c${index}=$[${index}]`).join(",");
  const source =
    (constants ? `const ${constants};` : "") +
    // One trailing slash is not part of the path (rou3 strips it); `n` is where the path ends.
    `return(m,p)=>{if(p.charCodeAt(0)!==47||p.includes("//"))return F(m,p);let n=p.length;if(p.charCodeAt(n-1)===47)n--;const q0=0;${body}}`;
  const fallback = (method: string, path: string) => findRoute(router, method, path);
  // The point of this module: the tree turned into code once, as rou3's compiler does.
  return new Function("$", "F", "P", source)(generator.constants, fallback, Rou3Params) as Lookup<T>;
}

/**
 * Builds the matcher's source. At depth `d` the variable `q<d>` holds where the path read so far
 * ends: the index of the `/` before the next segment, or `n` when the whole path is read.
 */
class MatcherSource {
  /** Route data and lookup tables the code refers to as `c<index>`. */
  readonly constants: unknown[] = [];

  node(node: TreeNode, depth: number): string {
    this.#assertFields(node, NODE_FIELDS);
    const here = `q${depth}`;
    const next = `q${depth + 1}`;
    const wildcard = node.wildcard;
    if (wildcard !== undefined) this.#assertFields(wildcard, WILDCARD_FIELDS);
    // The request ends here: this node's route for the method, else a wildcard route that may match nothing.
    let ending = node.methods ? this.#routesOf(node.methods, depth, "end") : "";
    if (wildcard?.methods) ending += this.#routesOf(wildcard.methods, depth, "none");
    let code = ending ? `if(${here}===n){${ending}}` : "";
    const literals = node.static ? Object.entries(node.static) : [];
    if (literals.length === 0 && !node.param && !wildcard?.methods) return code;
    // The next segment runs from after the `/` at `here` to the next `/` (or the path's end).
    let children = `let ${next}=p.indexOf("/",${here}+1);if(${next}===-1||${next}>n)${next}=n;`;
    if (literals.length > 0 && literals.length <= LITERAL_CHAIN_MAX) {
      children += literals
        .map(([name, child]) => `if(${next}-${here}===${name.length + 1}&&p.startsWith(${JSON.stringify(name)},${here}+1)){${this.node(child, depth + 1)}}`)
        .join("else ");
    } else if (literals.length > 0) {
      // Many literals: one lookup by name (a null-prototype table), then the child's code by number.
      const table = Object.create(null) as Record<string, number>;
      literals.forEach(([name], index) => (table[name] = index));
      const cases = literals.map(([, child], index) => `case ${index}:{${this.node(child, depth + 1)}break}`).join("");
      children += `switch(${this.#constant(table)}[p.slice(${here}+1,${next})]){${cases}}`;
    }
    if (node.param) children += this.node(node.param, depth + 1);
    // Last, as rou3 tries it: a wildcard route takes the rest of the path.
    if (wildcard?.methods) children += this.#routesOf(wildcard.methods, depth, "rest");
    return code + `if(${here}!==n){${children}}`;
  }

  #assertFields(object: object, known: ReadonlySet<string>): void {
    for (const field of Object.keys(object)) if (!known.has(field)) throw new NotPlain();
  }

  /**
   * The code answering a request at a node with `methods` (its method's route, else the any-method
   * route): one that ends there (`end`), or, for a wildcard's routes, one that ends where the wildcard
   * begins (`none`: only routes that may match nothing) or goes on past it (`rest`).
   */
  #routesOf(methods: Record<string, RouteEntry[] | undefined>, depth: number, reading: Reading): string {
    const any = methods[""]?.length ? this.#only(methods[""]!) : undefined;
    const branches: string[] = [];
    for (const method of Object.keys(methods)) {
      const own = method === "" || !methods[method]?.length ? undefined : this.#only(methods[method]!);
      if (own === undefined) continue;
      const chosen = any === undefined ? own : preferred(own, any, depth, reading);
      branches.push(`if(m===${JSON.stringify(method)}){${chosen === undefined ? "" : this.#answer(chosen, depth, reading)}}`);
    }
    // A method with routes of its own never falls back to the any-method route (rou3 chose between them above).
    const otherwise = any === undefined ? "" : this.#answer(any, depth, reading);
    if (branches.length === 0) return otherwise;
    return branches.join("else ") + (otherwise ? `else{${otherwise}}` : "");
  }

  /** A node's one route for a method, checked to be one this module reads. */
  #only(entries: RouteEntry[]): RouteEntry {
    if (entries.length !== 1) throw new NotPlain(); // several routes on one node and method: rou3 ranks them
    const entry = entries[0]!;
    this.#assertFields(entry, ENTRY_FIELDS);
    if (entry.paramsRegexp.length > 0 || entry.suffix !== undefined || entry.variants !== undefined || (entry.rank ?? 0) !== 0) throw new NotPlain();
    return entry;
  }

  /** The code returning the match of `entry`, with its params read from the path ("" when it cannot match: see {@link matchesNothing}). */
  #answer(entry: RouteEntry, depth: number, reading: Reading): string {
    const params = entry.paramsMap ?? [];
    const rest = restParamOf(entry, depth, reading);
    if (reading === "none" && !matchesNothing(rest!)) return "";
    const segmentParams = rest === undefined ? params : params.slice(0, -1);
    let assignments = "";
    for (const param of segmentParams) {
      const [index, name, isOptional] = param;
      if (param.length !== 3 || typeof index !== "number" || index < 0 || index >= depth || typeof name !== "string" || isOptional !== false) throw new NotPlain();
      assignments += `o[${JSON.stringify(name)}]=p.slice(q${index}+1,q${index + 1});`;
    }
    if (rest !== undefined) {
      const [, restName, optional] = rest;
      const key = JSON.stringify(restName);
      if (reading === "rest") {
        // The segments from the wildcard's on, as rou3 joins them (no empty one: such paths go to findRoute).
        assignments += `o[${key}]=p.slice(q${depth}+1,n);`;
        if (optional) assignments += `o._=o[${key}];`;
      } else if (!optional) {
        // Matching nothing, a wildcard param is set (to "") only when the path had a trailing slash.
        assignments += `if(n!==p.length)o[${key}]="";`;
      }
    }
    const data = this.#constant(entry.data);
    if (entry.paramsMap === undefined) return `return{data:${data}};`;
    return `{const o=new P();${assignments}return{data:${data},params:o}}`;
  }

  #constant(value: unknown): string {
    return `c${this.constants.push(value) - 1}`;
  }
}
