/**
 * Nitro's filesystem conventions, as pure functions of a file's path: which
 * files count, the route a file under `routes/` or `api/` answers, the method
 * and build environment its suffixes name, and a task's name.
 *
 * The rules follow Nitro v3's scanner (`scanServerRoutes`, `scanTasks`), with
 * three additions: `[[name]]` optional params, an error instead of a route that
 * can never match for a malformed segment, and `_`-prefixed files ignored.
 */

/** The file extensions Nitro scans. Declaration files (`.d.ts`) never count. */
export const MODULE_EXTENSIONS = [".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx", ".jsx"] as const;

/** HTTP methods a file name may end with: `users.post.ts` answers POST only. */
export type RouteFileMethod = "connect" | "delete" | "get" | "head" | "options" | "patch" | "post" | "put" | "trace";

/** Build environments a file name may end with: `debug.get.dev.ts` exists in development only. */
export type RouteFileEnv = "dev" | "prod" | "prerender";

/** What a route file's path says about it. */
export interface RouteFromPath {
  /** The route pattern (rou3 syntax): `/api/users/:id`, `/api/**:slug`, `/api/users/:id?`. */
  route: string;
  /** The method the file is limited to; `undefined` answers every method. */
  method?: RouteFileMethod;
  /** The environment the file is limited to; `undefined` means always. */
  env?: RouteFileEnv;
}

const MODULE_EXTENSION_SET: ReadonlySet<string> = new Set(MODULE_EXTENSIONS);
const ROUTE_GROUP = /\(([^(/\\]+)\)[/\\]/g;
/** `[[name]]`, `[...name]` / `[...]`, `[name]`: one pass over the path. */
const PARAMS = /\[\[([^/\]]+)]]|\[\.{3}([^/\]]*)]|\[([^/\]]+)]/g;
const PARAM_NAME = /^[A-Za-z_]\w*$/;
/** The methods a route file's name may end with (`users.post.ts`). */
export const ROUTE_FILE_METHODS: readonly RouteFileMethod[] = ["connect", "delete", "get", "head", "options", "patch", "post", "put", "trace"];
const METHODS: ReadonlySet<string> = new Set(ROUTE_FILE_METHODS);
const ENVS = new Set<string>(["dev", "prod", "prerender"]);

/**
 * Whether `path` is a module Nitro would scan (by extension; `.d.ts`, `.d.mts`, `.d.cts` excluded).
 * Runs on every file of a scan (twice with `globModules`): string checks only, where a regular
 * expression over the whole path cost ~3 µs a file at start-up (1,000 files: ~3 ms).
 */
export function isModuleFile(path: string): boolean {
  const dot = path.lastIndexOf(".");
  if (dot <= path.lastIndexOf("/") || !MODULE_EXTENSION_SET.has(path.slice(dot))) return false;
  // A declaration file: a `ts` extension (`.ts`, `.mts`, `.cts`) right after `.d`.
  return !(path.endsWith("ts") && path.startsWith(".d", dot - 2));
}

/**
 * Whether a path below a scan directory is private: a file or folder whose name
 * starts with `_` (helpers kept beside routes). `_ws` route files stay, being
 * Nitro's name for a WebSocket handler.
 */
export function isPrivatePath(path: string, allowWebSocket: boolean): boolean {
  if (!path.startsWith("_") && !path.includes("/_")) return false;
  const slash = path.lastIndexOf("/");
  const file = path.slice(slash + 1);
  if (slash >= 0 && (path.startsWith("_") || path.slice(0, slash).includes("/_"))) return true;
  if (!file.startsWith("_")) return false;
  return !(allowWebSocket && file.split(".")[0] === "_ws");
}

/**
 * The route a file under a routes directory answers, its method and environment.
 * `path` is relative to that directory (`users/[id].get.ts`), `prefix` the URL it is
 * mounted on (`/` for `routes/`, `/api` for `api/`), `file` the name errors give it.
 *
 * Written with string operations where Nitro uses regular expressions (same results):
 * this runs once per file at start-up, and 1,000 files should not be felt.
 *
 * @example
 * routeFromPath("api/users/[id].get.ts")   // { route: "/api/users/:id", method: "get" }
 * routeFromPath("hello.ts", "/api")         // { route: "/api/hello" }
 * routeFromPath("(admin)/[...slug].ts")     // { route: "/**:slug" }
 */
export function routeFromPath(path: string, prefix = "/", file = path): RouteFromPath {
  let pattern = withoutExtension(path);
  if (pattern.includes("(")) pattern = pattern.replace(ROUTE_GROUP, "");
  if (pattern.includes("[") || pattern.includes("]")) pattern = paramsPattern(pattern, file);
  let route = joinPrefix(prefix, pattern);

  // Nitro's suffixes: `name.<method>.<env>`, each optional, the env last.
  let method: RouteFileMethod | undefined;
  let env: RouteFileEnv | undefined;
  let dot = route.lastIndexOf(".");
  if (dot > 0 && ENVS.has(route.slice(dot + 1))) {
    env = route.slice(dot + 1) as RouteFileEnv;
    route = route.slice(0, dot);
    dot = route.lastIndexOf(".");
  }
  if (dot > 0 && METHODS.has(route.slice(dot + 1))) {
    method = route.slice(dot + 1) as RouteFileMethod;
    route = route.slice(0, dot);
  }
  if (route.endsWith("/index")) route = route.slice(0, -"/index".length);
  // Built field by field: object spreads are slow in the interpreter, where start-up runs.
  const result: RouteFromPath = { route: route || "/" };
  if (method) result.method = method;
  if (env) result.env = env;
  return result;
}

/** Nitro strips one extension of letters (`.ts`, `.mjs`); `x.d.ts` never gets here. */
function withoutExtension(path: string): string {
  const dot = path.lastIndexOf(".");
  // A regular expression on the few letters after the dot: measured cheaper at start-up than a loop over them.
  return dot > path.lastIndexOf("/") && /^[A-Za-z]+$/.test(path.slice(dot + 1)) ? path.slice(0, dot) : path;
}

/** File-name params in rou3 syntax: `[id]` → `:id`, `[...slug]` → `**:slug`, `[...]` → `**`, `[[id]]` → `:id?`. */
function paramsPattern(pattern: string, file: string): string {
  const converted = pattern.replace(PARAMS, (_, optional?: string, rest?: string, name?: string) => {
    if (optional !== undefined) return `:${paramName(optional, file)}?`;
    if (rest !== undefined) return rest ? `**:${paramName(rest, file)}` : "**";
    return `:${paramName(name!, file)}`;
  });
  if (converted.includes("[") || converted.includes("]")) {
    const segment = pattern.split("/").find((part) => part.includes("[") || part.includes("]"));
    throw new Error(`[nitrokit] ${file}: cannot read the segment '${segment}': use [name], [...name], [...] or [[name]].`);
  }
  return converted;
}

function paramName(name: string, file: string): string {
  if (!PARAM_NAME.test(name)) {
    throw new Error(`[nitrokit] ${file}: route parameter '${name}' is not a valid name: use letters, digits and _ (e.g. [userId]).`);
  }
  return name;
}

function joinPrefix(prefix: string, pattern: string): string {
  // `/` (the routes folder's prefix) is the common case: no regular expression for it.
  const base = prefix === "/" ? "" : prefix.endsWith("/") ? prefix.replace(/\/+$/, "") : prefix;
  const path = pattern.startsWith("/") || pattern.endsWith("/") ? pattern.replace(/^\/+|\/+$/g, "") : pattern;
  const joined = path ? `${base}/${path}` : base;
  return joined.startsWith("/") ? joined : `/${joined}`;
}

/**
 * A task's name from its path below `tasks/`: folders become `:`-separated
 * segments (`db/migrate.ts` → `db:migrate`).
 */
export function taskNameFromPath(path: string): string {
  // Nitro strips `/index` before the extension, so `db/index.ts` stays `db:index`; kept as is.
  return withoutExtension(path.replace(/\/index$/, "")).replace(/\//g, ":");
}

/**
 * ICU's collation order for English (CLDR's root order) of the printable ASCII characters other
 * than capitals: for strings made of these, `Intl.Collator("en").compare` compares them one
 * character after another in this order (punctuation first, then digits, then letters).
 * test/routing/conventions.test.ts checks both against `Intl.Collator`.
 */
const ASCII_COLLATION_ORDER = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz";
/** Each character's place in {@link ASCII_COLLATION_ORDER}, by char code; 255 for any other character. */
const ASCII_RANK = new Uint8Array(128).fill(255);
for (let i = 0; i < ASCII_COLLATION_ORDER.length; i++) ASCII_RANK[ASCII_COLLATION_ORDER.charCodeAt(i)] = i;

/**
 * Made on the first comparison that needs it: creating an ICU collator loads ICU's collation
 * data, ~12 ms on Node 20 (measured), which every app with filesystem routes paid at start-up.
 * One for every comparison: `localeCompare(b, "en")` builds one per call, 20× slower.
 */
let collator: Intl.Collator | undefined;

/**
 * Nitro's order for files: by path, as `localeCompare` orders them (`10.x` before `2.y`, `a` before
 * `B`). Paths made of lowercase ASCII, digits and punctuation (nearly all of them) are compared
 * here, character by character; any other character up to the first difference (a capital, a
 * non-ASCII letter) leaves the comparison to ICU.
 */
export function byPath(a: string, b: string): number {
  const shorter = Math.min(a.length, b.length);
  for (let i = 0; i < shorter; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    const rankX = x < 128 ? ASCII_RANK[x]! : 255;
    const rankY = y < 128 ? ASCII_RANK[y]! : 255;
    if (rankX === 255 || rankY === 255) return icuCompare(a, b);
    if (rankX !== rankY) return rankX - rankY;
  }
  // One is the start of the other: the shorter first, unless what follows may be ignorable to ICU.
  const longer = a.length > b.length ? a : b;
  for (let i = shorter; i < longer.length; i++) {
    const code = longer.charCodeAt(i);
    if (code >= 128 || ASCII_RANK[code] === 255) return icuCompare(a, b);
  }
  return a.length - b.length;
}

/**
 * Paths of lowercase ASCII letters, digits, `-`, `.` and `/`, with `[…]` pairs (not nested) of the
 * same: `byPath` compares them by their characters' ICU ranks one by one, and {@link sortKey}
 * turns them into strings the engine's own comparison puts in that order.
 */
const NATIVE_ORDER_PATH = /^[-./0-9a-z]*(?:\[[-./0-9a-z]*][-./0-9a-z]*)*$/;
const BRACKET_PAIR = /\[([-./0-9a-z]*)]/g;

/**
 * `[...paths].sort(byPath)`, with no JavaScript comparator where every path is of
 * {@link NATIVE_ORDER_PATH} (the file names of nearly every app): each path gets a key whose plain
 * string order (the engine's `sort()`, code unit by code unit) is `byPath`'s. Why: at start-up
 * the comparator runs in the interpreter, ~10,000 times for 1,000 files, each over the ~15
 * characters keys share (`./routes/api/…`): ~10M instructions of a 1,000-file start, where making
 * the keys and sorting them natively costs a fraction of it. Any other path (a capital, `_`, a
 * non-ASCII letter) sorts the whole list with `byPath`.
 */
export function sortByPath(paths: readonly string[]): string[] {
  const keys: string[] = new Array<string>(paths.length);
  // Keys that differ from their path (those with brackets), to read the path back.
  let pathOfKey: Map<string, string> | undefined;
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i]!;
    if (!NATIVE_ORDER_PATH.test(path)) return [...paths].sort(byPath);
    if (path.includes("[")) {
      const key = sortKey(path);
      (pathOfKey ??= new Map()).set(key, path);
      keys[i] = key;
    } else {
      keys[i] = path;
    }
  }
  keys.sort();
  if (pathOfKey !== undefined) {
    for (let i = 0; i < keys.length; i++) keys[i] = pathOfKey.get(keys[i]!) ?? keys[i]!;
  }
  return keys;
}

/**
 * A path of {@link NATIVE_ORDER_PATH} as a string whose code-unit order is ICU's order of the
 * paths. ICU ranks these `-` `.` `[` `]` `/`, digits, letters; code units put `-` `.` `/` digits
 * letters in that order already, with no unit between `.` and `/` for the brackets. So `[`
 * becomes `.{` and `]` `.}`: after a `.`, these units (0x7b, 0x7d) sort after every character a
 * path may hold (at most `z`, 0x7a) and `.` before `/` in the first unit, so `.` < `[` < `]` < `/`
 * holds wherever they stand, and a key that is the start of another is still the key of a path
 * that is the start of the other (shorter first, as `byPath`). `{` and `}` appear in no path
 * here, so the keys of two paths differ as the paths do.
 */
function sortKey(path: string): string {
  return path.replace(BRACKET_PAIR, ".{$1.}");
}

function icuCompare(a: string, b: string): number {
  return (collator ??= new Intl.Collator("en")).compare(a, b);
}
