/**
 * `nitrokit/routing`: Nitro's filesystem conventions applied to a module map
 * (`import.meta.glob`, or `globModules()` from `nitrokit/routing/node`): routes,
 * middleware, plugins and tasks registered on an app, loaded lazily.
 * @module
 */
export { registerRoutes, type RegisterRoutesOptions } from "./register.js";
export { loadModules } from "./load.js";
export { resolveRouteFiles, type FileRoute, type RouteFiles, type RouteFilesOptions } from "./manifest.js";
export { MODULE_EXTENSIONS, routeFromPath, taskNameFromPath, type RouteFileEnv, type RouteFileMethod, type RouteFromPath } from "./conventions.js";
export type { GlobLoader, GlobModule, GlobModules } from "./modules.js";
