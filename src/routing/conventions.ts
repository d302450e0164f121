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

const EXTENSION = /\.[A-Za-z]+$/;
const DECLARATION = /\.d\.[cm]?ts$/;
const ROUTE_GROUP = /\(([^(/\\]+)\)[/\\]/g;
const SUFFIXES = /(\.(?<method>connect|delete|get|head|options|patch|post|put|trace))?(\.(?<env>dev|prod|prerender))?$/;
const PARAM_NAME = /^[A-Za-z_]\w*$/;

/** Whether `path` is a module Nitro would scan (by extension; `.d.ts` excluded). */
export function isModuleFile(path: string): boolean {
  if (DECLARATION.test(path)) return false;
  const dot = path.lastIndexOf(".");
  return dot > path.lastIndexOf("/") && (MODULE_EXTENSIONS as readonly string[]).includes(path.slice(dot));
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
 * @example
 * routeFromPath("api/users/[id].get.ts")   // { route: "/api/users/:id", method: "get" }
 * routeFromPath("hello.ts", "/api")         // { route: "/api/hello" }
 * routeFromPath("(admin)/[...slug].ts")     // { route: "/**:slug" }
 */
export function routeFromPath(path: string, prefix = "/", file = path): RouteFromPath {
  let pattern = path.replace(EXTENSION, "");
  // Most files have no group and no param: skip their regular expressions (start-up time with 1,000 files).
  if (pattern.includes("(")) pattern = pattern.replace(ROUTE_GROUP, "");
  if (pattern.includes("[") || pattern.includes("]")) {
    pattern = pattern
      .split("/")
      .map((segment) => segmentPattern(segment, file))
      .join("/");
  }
  let route = joinPrefix(prefix, pattern);
  const suffix = SUFFIXES.exec(route);
  let method: RouteFileMethod | undefined;
  let env: RouteFileEnv | undefined;
  if (suffix && suffix.index > 0 && suffix[0]) {
    route = route.slice(0, suffix.index);
    method = suffix.groups?.method as RouteFileMethod | undefined;
    env = suffix.groups?.env as RouteFileEnv | undefined;
  }
  route = route.replace(/\/index$/, "") || "/";
  return { route, ...(method && { method }), ...(env && { env }) };
}

/** One file-name segment in rou3 syntax: `[id]` → `:id`, `[...slug]` → `**:slug`, `[[id]]` → `:id?`. */
function segmentPattern(segment: string, file: string): string {
  const converted = segment
    .replace(/\[\[([^/\]]+)]]/g, (_, name: string) => `:${paramName(name, file)}?`)
    .replace(/\[\.{3}]/g, "**")
    .replace(/\[\.{3}([^/\]]+)]/g, (_, name: string) => `**:${paramName(name, file)}`)
    .replace(/\[([^/\]]+)]/g, (_, name: string) => `:${paramName(name, file)}`);
  if (/[[\]]/.test(converted)) {
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
  const base = prefix.replace(/\/+$/, "");
  const path = pattern.replace(/^\/+/, "").replace(/\/+$/, "");
  const joined = path ? `${base}/${path}` : base;
  return joined.startsWith("/") ? joined : `/${joined}`;
}

/**
 * A task's name from its path below `tasks/`: folders become `:`-separated
 * segments (`db/migrate.ts` → `db:migrate`).
 */
export function taskNameFromPath(path: string): string {
  // Nitro strips `/index` before the extension, so `db/index.ts` stays `db:index`; kept as is.
  return path.replace(/\/index$/, "").replace(EXTENSION, "").replace(/\//g, ":");
}

// One collator for every comparison: `localeCompare(b, "en")` builds one per call, 20× slower.
const collator = new Intl.Collator("en");

/** Nitro's order for middleware and plugins: by path, as strings (`10.x` before `2.y`). */
export const byPath: (a: string, b: string) => number = collator.compare;
