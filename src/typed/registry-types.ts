import type { HandlerEndpoint } from "./handler-endpoint.js";
import type { RouteMethod, TypedRoute } from "./fetch-types.js";

/** A route module as the filesystem-routing helper loads it: its default export is the handler. */
export type RouteModuleLoader = () => Promise<{ default: unknown }>;

/**
 * Routes written down as data for typing: pattern → method → a lazy import of the module
 * that serves it. TypeScript knows the type of each `import("./routes/…")`, so an object like
 *
 * ```ts
 * const routes = {
 *   "/api/users/:id": { get: () => import("./routes/api/users/[id].get.js") },
 * } satisfies RouteRegistry;
 * ```
 *
 * carries every handler's type with no code generation (TypeScript cannot list a folder's
 * files, so the paths have to be written somewhere; here they are written once).
 */
export type RouteRegistry = { [path: string]: { [M in RouteMethod]?: RouteModuleLoader } };

/**
 * The routes a registry adds to an app's type, for a helper that registers it:
 * `(app: NitroApp<Routes>, registry: R) => NitroApp<Routes | RegistryRoutes<R>>`.
 */
export type RegistryRoutes<Registry extends RouteRegistry> = {
  [P in keyof Registry & string]: {
    [M in keyof Registry[P] & RouteMethod]: TypedRoute<P, M, HandlerEndpoint<Awaited<ReturnType<NonNullable<Registry[P][M]>>>["default"]>>;
  }[keyof Registry[P] & RouteMethod];
}[keyof Registry & string];
