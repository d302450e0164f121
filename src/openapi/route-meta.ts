import type { H3RouteMeta } from "h3";
import type { RouteOpenAPIMeta } from "../typed/route-types.js";

const kRegistry = Symbol.for("nitrokit.routeMeta");
interface MetaRegistry {
  byFile: Map<string, { meta: NitroRouteMeta; order: number }>;
  declared: number;
}

/**
 * Route metadata, as Nitro 3's `NitroRouteMeta`: `openAPI` is the route's OpenAPI
 * Operation Object (`tags`, `summary`, `description`, `parameters`, `responses`, …);
 * its `$global.components` are hoisted into the document's `components`.
 */
export interface NitroRouteMeta extends H3RouteMeta {
  readonly openAPI?: RouteOpenAPIMeta & {
    /** Hoisted to the document's top level: reusable `components` (`schemas`, `parameters`, …). */
    $global?: { components?: Record<string, Record<string, unknown>> };
  };
}

/**
 * The meta each route module declared with `defineRouteMeta`, by the module's file path.
 * Kept on `globalThis`, so a route module that resolves another copy of nitrokit (a
 * monorepo, a linked package) still reaches the copy that registers its route.
 */
const registry = ((globalThis as { [kRegistry]?: MetaRegistry })[kRegistry] ??= { byFile: new Map(), declared: 0 });

/**
 * Declares the OpenAPI description of the route its module serves, as Nitro 3's
 * `defineRouteMeta`: called at the top of a route module, with the same code as in Nitro.
 *
 * Nitro extracts the call at build time; nitrokit has no build, so the call records the
 * meta under the file of the module that makes it (read from the call's stack frame), and
 * filesystem routing (`registerRoutes` from `nitrokit/routing`) hands it to the route
 * that file serves. The OpenAPI document imports route modules not loaded yet before it
 * is built, so every route's meta is in it. For a route registered by hand, give the
 * same object as the route's meta instead: `app.get(path, handler, { meta })`.
 *
 * @returns `meta`, unchanged.
 * @example
 * // routes/api/hello.ts
 * import { defineHandler, defineRouteMeta } from "nitrokit";
 * defineRouteMeta({ openAPI: { tags: ["greeting"], description: "Says hello" } });
 * export default defineHandler(() => ({ message: "Hello" }));
 */
export function defineRouteMeta(meta: NitroRouteMeta): NitroRouteMeta {
  if (typeof meta !== "object" || meta === null || Array.isArray(meta)) {
    throw new TypeError(`[nitrokit] defineRouteMeta() expects an object such as { openAPI: { description } }; got ${describe(meta)}.`);
  }
  const openAPI: unknown = meta.openAPI;
  if (openAPI !== undefined && (typeof openAPI !== "object" || openAPI === null || Array.isArray(openAPI))) {
    throw new TypeError(`[nitrokit] defineRouteMeta(): openAPI must be an OpenAPI Operation Object ({ tags, description, … }); got ${describe(openAPI)}.`);
  }
  const file = callerFile();
  if (file) registry.byFile.set(file, { meta, order: ++registry.declared });
  return meta;
}

/**
 * The meta declared by the module at `file`: a module-map key (`./routes/api/hello.ts`,
 * `/server/routes/x.ts`) or a path, matched against the end of the declaring module's
 * path. When several modules match (two apps with the same layout), the one that
 * declared last wins: the module a route just imported.
 */
export function declaredRouteMeta(file: string): NitroRouteMeta | undefined {
  const key = file.replace(/\\/g, "/").replace(/^(?:\.{1,2}\/|\/)+/, "");
  let found: { meta: NitroRouteMeta; order: number } | undefined;
  for (const [path, entry] of registry.byFile) {
    if ((path === key || path.endsWith(`/${key}`)) && (!found || entry.order > found.order)) found = entry;
  }
  return found?.meta;
}

/** A mark of the declarations so far, for {@link soleMetaDeclaredSince}. */
export function routeMetaMark(): number {
  return registry.declared;
}

/**
 * The meta declared after `mark`, when exactly one module declared some: what a module
 * imported in between declared, even when its file path says nothing (a bundled chunk).
 */
export function soleMetaDeclaredSince(mark: number): NitroRouteMeta | undefined {
  const declared = [...registry.byFile.values()].filter((entry) => entry.order > mark);
  return declared.length === 1 ? declared[0]!.meta : undefined;
}

/**
 * Set on a route handler whose module is imported lazily (filesystem routing): the route's
 * module, whose `loadMeta()` imports it and answers its declared meta, so the OpenAPI
 * document can describe the route before its first request. An object with a method (not a
 * loader function per route): registering 1,000 routes then allocates one thing less per route.
 */
export const kRouteMetaSource = Symbol.for("nitrokit.routeMetaSource");
export interface RouteMetaSource {
  loadMeta(): Promise<NitroRouteMeta | undefined>;
}

/** The path of the module calling `defineRouteMeta`: the first stack frame outside it. */
function callerFile(): string | undefined {
  const holder: { stack?: string } = {};
  if (typeof Error.captureStackTrace === "function") Error.captureStackTrace(holder, defineRouteMeta);
  else holder.stack = new Error().stack?.split("\n").filter((line) => !line.includes("defineRouteMeta")).join("\n");
  for (const line of holder.stack?.split("\n").slice(1) ?? []) {
    const location = /(?:\(|@|at )((?:file|https?):\/\/[^\s)]+|\/[^\s)]+|[A-Za-z]:[\\/][^\s)]+):\d+:\d+\)?\s*$/.exec(line)?.[1];
    if (location) return modulePath(location);
  }
  return undefined;
}

/** `file:///app/routes/x.ts?v=1` → `/app/routes/x.ts`; Windows separators as `/`. */
function modulePath(location: string): string {
  let path = location;
  if (/^(?:file|https?):\/\//.test(path)) {
    try {
      path = decodeURIComponent(new URL(path).pathname);
    } catch {
      // Left as written: matching by its end still works.
    }
  }
  return path.replace(/[?#].*$/, "").replace(/\\/g, "/");
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? JSON.stringify(value) : typeof value;
}
