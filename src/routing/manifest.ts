import {
  byPath,
  MODULE_EXTENSIONS,
  ROUTE_FILE_METHODS,
  sortByPath,
  isModuleFile,
  isPrivatePath,
  routeFromPath,
  taskNameFromPath,
  type RouteFileEnv,
  type RouteFileMethod,
} from "./conventions.js";

/** Where Nitro's directories are and which build environment is active. */
export interface RouteFilesOptions {
  /**
   * The folder, as the keys spell it, that holds `routes/`, `api/`, `middleware/`,
   * `plugins/` and `tasks/`: `"./server"` for keys like `./server/routes/api/hello.ts`.
   * @default "." (keys like `./routes/api/hello.ts`)
   */
  root?: string;
  /** Nitro's `routesDir`. @default "routes" */
  routesDir?: string;
  /** Nitro's `apiDir`. @default "api" */
  apiDir?: string;
  /** Nitro's `apiBaseURL`: the URL prefix of files in `apiDir`. @default "/api" */
  apiBaseURL?: string;
  /**
   * The active environment: files suffixed with another one (`x.dev.ts`, `x.prod.ts`,
   * `x.prerender.ts`) are left out. @default "prod"
   */
  env?: RouteFileEnv;
}

/** A file that answers a route. */
export interface FileRoute {
  /** The key the file had in the module map. */
  file: string;
  route: string;
  /** The method it is limited to; absent for every method. */
  method?: RouteFileMethod;
  env?: RouteFileEnv;
}

/** What a set of files registers, in the order it registers it. */
export interface RouteFiles {
  routes: FileRoute[];
  /** Middleware files, in Nitro's order (by path: `1.logger.ts`, `2.auth.ts`, `auth.ts`). */
  middleware: string[];
  /** Plugin files, by path. */
  plugins: string[];
  tasks: Array<{ name: string; file: string }>;
  /** Files left out: `_`-prefixed, not a module, outside the known folders, or for another environment. */
  ignored: string[];
}

/**
 * Maps module-map keys to what they register, following Nitro's conventions:
 * `routes/` and `api/` (under `/api`) hold routes, `middleware/` global middleware,
 * `plugins/` plugins, `tasks/` tasks. Throws when two files answer the same method
 * and path (or define the same task), naming both.
 *
 * @example
 * resolveRouteFiles(["./server/routes/api/users/[id].get.ts"], { root: "./server" }).routes
 * // [{ file: "./server/routes/api/users/[id].get.ts", route: "/api/users/:id", method: "get" }]
 */
export function resolveRouteFiles(keys: readonly string[], options: RouteFilesOptions = {}): RouteFiles {
  const root = normalizeDir(options.root ?? ".");
  const folders: Record<string, (file: string, path: string, result: RouteFiles) => void> = {
    [normalizeDir(options.routesDir ?? "routes")]: routeCollector("/", options.env ?? "prod"),
    [normalizeDir(options.apiDir ?? "api")]: routeCollector(options.apiBaseURL ?? "/api", options.env ?? "prod"),
    middleware: (file, path, result) => (isPrivatePath(path, false) ? result.ignored.push(file) : result.middleware.push(file)),
    plugins: (file, path, result) => (isPrivatePath(path, false) ? result.ignored.push(file) : result.plugins.push(file)),
    tasks: (file, path, result) =>
      isPrivatePath(path, false) ? result.ignored.push(file) : result.tasks.push({ name: taskNameFromPath(path), file }),
  };

  // This loop runs once per file at start-up, in the interpreter: no closure or object per file
  // beyond what the result holds.
  const folderNames = Object.keys(folders);
  const result: RouteFiles = { routes: [], middleware: [], plugins: [], tasks: [], ignored: [] };
  const relative = new Map<string, string>();
  const common = commonRouteFiles(root, folderNames, options);
  let scanned = 0;
  for (const file of sortByPath(keys)) {
    // Most route files in one regular expression, the same route as the general path below would give.
    const match = common?.pattern.exec(file);
    if (match != null) {
      scanned++;
      const name = match[2]!;
      const route = common!.prefixes[match[1]!] + (name.includes("[") ? name.replace(SIMPLE_PARAMS, ":$1") : name);
      // Whole literals: a `method` added afterwards would move the object to a new shape and give it a
      // separate backing store, one more object per route file for the scavenges to copy.
      result.routes.push(match[3] === undefined ? { file, route } : { file, route, method: match[3] as RouteFileMethod });
      continue;
    }
    const path = relativeTo(root, normalizeKey(file));
    const folder = path === undefined ? undefined : folderOf(path, folderNames);
    if (path === undefined || folder === undefined || !isModuleFile(path)) {
      result.ignored.push(file);
      continue;
    }
    scanned++;
    const inner = path.slice(folder.length + 1);
    // Only middleware and plugins are sorted by their path below the folder (one Map entry per route saved).
    if (folder === "middleware" || folder === "plugins") relative.set(file, inner);
    folders[folder]!(file, inner, result);
  }
  if (keys.length > 0 && scanned === 0) {
    throw new Error(
      `[nitrokit] None of the ${keys.length} modules (e.g. ${keys[0]}) is a module under routes/, api/, middleware/, plugins/ or tasks/ below root '${options.root ?? "."}'. Pass the folder that holds them as { root }.`,
    );
  }
  // Sorted by path within each folder, as Nitro's scanner returns them.
  const inOrder = (a: string, b: string) => byPath(relative.get(a)!, relative.get(b)!);
  result.middleware.sort(inOrder);
  result.plugins.sort(inOrder);
  assertUniqueRoutes(result.routes);
  assertUnique(result.tasks, (task) => `task '${task.name}'`, "Two files define");
  return result;
}

/**
 * The shape of nearly every route file, read in one regular expression (at start-up, in the
 * interpreter, ~40 string operations per file cost ~20,000 instructions each: 1,000 files, 20M):
 * `<root>/<routes or api>/<segments>/<name>[.<method>].<extension>`, where each segment (and the
 * name) is letters, digits and `-`, or a whole-segment `[param]`, and the name is not `index`.
 * Groups: 1 the folder, 2 the segments and the name (the route's path, as one string: no
 * concatenation per file), 3 the method. Any other file (`_` helpers, `index`, groups,
 * catch-alls, `[[optional]]`, environments, dots or backslashes in a name) takes the general path.
 */
interface CommonRouteFiles {
  pattern: RegExp;
  /** Per route folder, what its routes start with: `/`, `/api/`. */
  prefixes: Record<string, string>;
}

/** `[id]` → `:id` where every bracket is a whole `[name]`, as {@link routeFromPath} converts them. */
const SIMPLE_PARAMS = /\[([A-Za-z_]\w*)]/g;

/**
 * The reader of {@link CommonRouteFiles} for these options, or `undefined` when the folder names
 * could make a file's folder depend on more than its first segment (a `/` in a name, two the same).
 */
function commonRouteFiles(root: string, folderNames: readonly string[], options: RouteFilesOptions): CommonRouteFiles | undefined {
  const [routesDir, apiDir] = [normalizeDir(options.routesDir ?? "routes"), normalizeDir(options.apiDir ?? "api")];
  if (folderNames.length !== 5 || folderNames.some((name) => name === "" || name.includes("/"))) return undefined;
  const extensions = MODULE_EXTENSIONS.map((extension) => escapeRegExp(extension.slice(1))).join("|");
  const methods = [...ROUTE_FILE_METHODS].join("|");
  const segment = String.raw`(?:[A-Za-z0-9-]+|\[[A-Za-z_]\w*])`;
  const pattern = new RegExp(
    String.raw`^(?:\./)*${root ? `${escapeRegExp(root)}/` : ""}(${escapeRegExp(routesDir)}|${escapeRegExp(apiDir)})/((?:${segment}/)*(?!index\.)${segment})(?:\.(${methods}))?\.(?:${extensions})$`,
  );
  return { pattern, prefixes: { [routesDir]: "/", [apiDir]: routePrefix(options.apiBaseURL ?? "/api") } };
}

/** What `joinPrefix(prefix, pattern)` puts before a pattern that neither starts nor ends with `/`. */
function routePrefix(prefix: string): string {
  const base = prefix === "/" ? "" : prefix.replace(/\/+$/, "");
  return base === "" || base.startsWith("/") ? `${base}/` : `/${base}/`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** The first of `folders` that `path` is below (`routes` for `routes/x.ts`). */
function folderOf(path: string, folders: readonly string[]): string | undefined {
  for (const name of folders) {
    if (path.startsWith(name) && path[name.length] === "/") return name;
  }
  return undefined;
}

function routeCollector(prefix: string, env: RouteFileEnv) {
  return (file: string, path: string, result: RouteFiles): void => {
    if (isPrivatePath(path, true)) {
      result.ignored.push(file);
      return;
    }
    const converted = routeFromPath(path, prefix, file);
    if (converted.env && converted.env !== env) {
      result.ignored.push(file);
      return;
    }
    // Field by field (not `{ file, ...converted }`): spreads are slow in the interpreter, where start-up runs.
    const route: FileRoute = { file, route: converted.route };
    if (converted.method) route.method = converted.method;
    if (converted.env) route.env = converted.env;
    result.routes.push(route);
  };
}

/**
 * Throws when two files answer the same method and path. The key per route is the cheapest
 * that tells them apart (a method holds no space, so the first space ends it); the message is
 * written only for the duplicate.
 */
function assertUniqueRoutes(routes: readonly FileRoute[]): void {
  const seen = new Map<string, string>();
  for (const route of routes) {
    const key = `${route.method ?? ""} ${route.route}`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw new Error(`[nitrokit] Two files answer ${route.method?.toUpperCase() ?? "every method on"} ${route.route}: ${first} and ${route.file}. Rename or remove one.`);
    }
    seen.set(key, route.file);
  }
}

function assertUnique<T extends { file: string }>(items: readonly T[], identity: (item: T) => string, verb: string): void {
  const seen = new Map<string, string>();
  for (const item of items) {
    const key = identity(item);
    const first = seen.get(key);
    if (first !== undefined) throw new Error(`[nitrokit] ${verb} ${key}: ${first} and ${item.file}. Rename or remove one.`);
    seen.set(key, item.file);
  }
}

/** `./server/` → `server`, `.` → ``; backslashes become slashes. */
function normalizeDir(dir: string): string {
  return normalizeKey(dir).replace(/\/+$/, "").replace(/^\.$/, "");
}

/** `./routes/x.ts` → `routes/x.ts`, backslashes as slashes. Per file at start-up: a regular expression only where one is needed. */
function normalizeKey(key: string): string {
  if (key.includes("\\")) key = key.replace(/\\/g, "/");
  while (key.startsWith("./")) key = key.slice(2);
  return key;
}

function relativeTo(root: string, path: string): string | undefined {
  if (!root) return path;
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : undefined;
}
