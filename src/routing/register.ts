import type { EventHandler, Middleware } from "h3";
import type { BeforeResponseHook, NitroApp, NitroAppPlugin } from "../types/app.js";
import type { Task } from "../tasks/types.js";
import {
  declaredRouteMeta,
  kRouteMetaSource,
  routeMetaMark,
  soleMetaDeclaredSince,
  type NitroRouteMeta,
  type RouteMetaSource,
} from "../openapi/route-meta.js";
import { resolveRouteFiles, type RouteFiles, type RouteFilesOptions } from "./manifest.js";
import {
  lazyHandler,
  lazyMiddleware,
  lazyPlugin,
  LazyTask,
  ModuleExport,
  pickHandler,
  pickMiddleware,
  pickPlugin,
  pickTask,
  type GlobLoader,
  type GlobModule,
  type GlobModules,
} from "./modules.js";

/** Options of {@link registerRoutes}. */
export interface RegisterRoutesOptions extends Omit<RouteFilesOptions, "env"> {
  /**
   * Which environment-suffixed files (`x.dev.ts`, `x.prod.ts`, `x.prerender.ts`) to register.
   * @default "dev" when the app has `dev: true`, else "prod"
   */
  env?: RouteFilesOptions["env"];
}

/**
 * Registers a folder of Nitro-style files on `app`: routes from `routes/` and `api/`,
 * global middleware from `middleware/` (in file-name order), plugins from `plugins/`
 * and tasks from `tasks/`. `modules` is the map `import.meta.glob` returns (Vite, or
 * `globModules()` from `nitrokit/routing/node` on Node with no bundler).
 *
 * A route module's `defineRouteMeta({ openAPI })` describes its route in the OpenAPI
 * document (the document imports lazy route modules before it is built).
 *
 * Loaders are lazy: a route's module is imported on that route's first request, a
 * middleware's on the first request, a plugin's in `ready()`, a task's on its first
 * run. Eager modules are checked here. Two files answering the same method and path
 * throw before anything is registered; a module with no default export throws here
 * (eager) or fails its first use with an error naming the file (lazy: a logged 500).
 *
 * @returns what was registered, file by file.
 * @example
 * import { createNitroApp } from "nitrokit";
 * import { registerRoutes } from "nitrokit/routing";
 * const app = createNitroApp();
 * registerRoutes(app, import.meta.glob("./server/**\/*.ts"), { root: "./server" });
 */
export function registerRoutes(app: NitroApp, modules: GlobModules, options: RegisterRoutesOptions = {}): RouteFiles {
  const files = resolveRouteFiles(Object.keys(modules), { ...options, env: options.env ?? (app.config.dev ? "dev" : "prod") });
  const entry = (file: string): GlobModule | GlobLoader => {
    const value = modules[file];
    if (typeof value !== "function" && (typeof value !== "object" || value === null)) {
      throw new TypeError(`[nitrokit] ${file}: expected a module or a loader (() => import(…)), got ${value === null ? "null" : typeof value}.`);
    }
    return value;
  };

  // Everything is built (and eager modules checked) before anything is registered.
  const middleware: Middleware[] = files.middleware.map((file) => lazyMiddleware(new ModuleExport(file, entry(file), pickMiddleware)));
  const beforeResponse = app["~beforeResponse"];
  const handlers: EventHandler[] = files.routes.map(({ file, route }) => routeHandler(file, entry(file), route.includes("?"), beforeResponse));
  const plugins: NitroAppPlugin[] = files.plugins.map((file) => lazyPlugin(new ModuleExport(file, entry(file), pickPlugin)));
  const tasks = files.tasks.map(({ name, file }): [string, Task] => {
    const task = new ModuleExport(file, entry(file), pickTask);
    return [name, task.loaded ?? new LazyTask(name, task)];
  });

  for (const handler of middleware) app.use(handler);
  // An index loop: `entries()` with destructuring allocates per route, in the interpreter where start-up runs.
  for (let index = 0; index < handlers.length; index++) {
    const { file, route, method } = files.routes[index]!;
    try {
      app["~fileRoute"](method, route, handlers[index]!);
    } catch (error) {
      throw new Error(`[nitrokit] ${file}: cannot register ${method?.toUpperCase() ?? "every method on"} ${route}: ${(error as Error).message}`, { cause: error });
    }
  }
  for (const plugin of plugins) app.plugin(plugin);
  for (const [name, task] of tasks) app.task(name, task);
  return files;
}

/**
 * The route handler for `file`, carrying what its module declared with `defineRouteMeta`:
 * as `meta` at once for a module already loaded, else through its {@link RouteModule}, which
 * the OpenAPI document asks for the meta (importing the module, which runs its
 * `defineRouteMeta`). The meta is found by the module's path; failing that (a bundled chunk),
 * by being the only meta declared while the module was being imported.
 */
function routeHandler(file: string, source: GlobModule | GlobLoader, optionalParams: boolean, beforeResponse: BeforeResponseHook): EventHandler {
  const module = new RouteModule(file, source, pickHandler);
  const handler = lazyHandler(module, optionalParams, beforeResponse);
  // The module's own handler meta (`defineHandler({ meta })`) counts too; defineRouteMeta's wins.
  if (module.loaded) {
    const meta = { ...module.loaded.meta, ...declaredRouteMeta(file) };
    if (Object.keys(meta).length > 0) handler.meta = meta;
    return handler;
  }
  (handler as EventHandler & { [kRouteMetaSource]?: RouteMetaSource })[kRouteMetaSource] = module;
  return handler;
}

/**
 * A route's module that notes the meta declared while it was being imported. One object per
 * route, with methods rather than closures: registering 1,000 lazy routes allocates little.
 */
class RouteModule extends ModuleExport<EventHandler> implements RouteMetaSource {
  // Set by the import (not a field initializer: one RouteModule per route file at start-up).
  declare private declaredWhileImporting: NitroRouteMeta | undefined;

  protected override async importModule(load: GlobLoader): Promise<unknown> {
    const mark = routeMetaMark();
    const loaded = await load();
    this.declaredWhileImporting = soleMetaDeclaredSince(mark);
    return loaded;
  }

  async loadMeta(): Promise<NitroRouteMeta> {
    return { ...(await this.get()).meta, ...(declaredRouteMeta(this.file) ?? this.declaredWhileImporting) };
  }
}
