import type { EventHandler, H3, H3Event, H3EventContext, Middleware, MiddlewareOptions, RouteOptions } from "h3";
import type { RouteFileMethod } from "../routing/conventions.js";
import type { Database } from "db0";
import type { Storage } from "unstorage";
import type { BeforeResponseHook, MountableApp, NitroApp, NitroAppPlugin, NitroConfig, NitroErrorHandler, NitroHandlerConfig, NitroRuntimeConfig } from "../types/app.js";
import type { NitroRouteRulesMatch } from "../types/route-rules.js";
import { DEFAULT_MAX_REQUEST_BODY_SIZE, withDevDefault } from "../config/defaults.js";
import { validateConfig } from "../config/schema.js";
import { ConfigModules } from "../config/modules.js";
import { resolveRuntimeConfig } from "../config/runtime-config-resolve.js";
import { createAppFetch, createLocalFetch } from "../fetch/local-fetch.js";
import { installAmbientFetch } from "../fetch/ambient-fetch.js";
import type { AppFetch, NoRoutes } from "../typed/fetch-types.js";
import type { AnyRouteInput } from "../typed/define.js";
import { AppStorage } from "../storage/app-storage.js";
import { AppRouteRules, assertRouteRulesArguments } from "../route-rules/rules.js";
import { withAppWideRules } from "../route-rules/app-wide.js";
import { AppTasks } from "../tasks/app-tasks.js";
import { registerTasksEndpoint } from "../tasks/endpoint.js";
import type { RunTaskOptions, Task } from "../tasks/types.js";
import { AppDatabases } from "../database/app-databases.js";
import { AppWebSockets } from "../ws/app-websockets.js";
import { webSocketRoute } from "../ws/route.js";
import type { WebSocketHooks } from "../ws/types.js";
import { setUpOpenAPI } from "../openapi/routes.js";
import { registerH3, runWithApp, trackApp, untrackApp } from "./context.js";
import { callHookSafely, NitroHooks, reportHookError, reportToErrorHook } from "./hooks.js";
import { runPlugins } from "./plugins.js";
import { normalizeBase, RouteRegistration, type MethodName } from "./registration.js";
import { RouteRegistry } from "./route-registry.js";
import { RequestPath } from "./request-path.js";
import { serverEntryHandler, serverEntrySource } from "./server-entry.js";
import { importOptionalPeers } from "../platform/optional-import.js";
import type { OpenTelemetryAPI } from "../tracing/index.js";

/**
 * Creates a nitrokit app from Nitro's runtime config object.
 *
 * The config is checked first: a value of the wrong type throws an error naming its
 * key path, an unknown key logs one warning. Runtime config gets its env overlay here.
 *
 * @example
 * import { createNitroApp } from "nitrokit";
 * import { defineHandler } from "nitrokit/h3";
 * const app = createNitroApp({ runtimeConfig: { apiSecret: "dev" } });
 * app.get("/api/hello", defineHandler(() => ({ message: "Hello" })));
 * const res = await app.fetch(new Request("http://localhost/api/hello"));
 */
export function createNitroApp(config?: NitroConfig): NitroApp<NoRoutes> {
  return new NitroAppImpl(withDevDefault(validateConfig(config)));
}

/**
 * The app: what it is made of (storage, rules, tasks, databases, WebSockets), registration
 * (see RouteRegistration), and its lifecycle (`ready()`, `close()`). Requests go through
 * its {@link RequestPath}.
 */
class NitroAppImpl implements NitroApp<NoRoutes> {
  readonly h3: H3;
  readonly hooks = new NitroHooks();
  readonly config: NitroConfig;
  readonly runtimeConfig: NitroRuntimeConfig;
  readonly $fetch: AppFetch<NoRoutes>;
  readonly "~registry": RouteRegistry;
  readonly "~maxRequestBodySize": number;
  readonly "~websockets": AppWebSockets;
  readonly "~beforeResponse": BeforeResponseHook;

  readonly #requestPath: RequestPath;
  readonly #registration: RouteRegistration;
  readonly #storage: AppStorage;
  readonly #routeRules: AppRouteRules;
  readonly #tasks: AppTasks;
  readonly #databases: AppDatabases;
  /** Module paths from the config (`"./routes/x.ts"`): imported on first use, checked by `ready()`. */
  readonly #modules: ConfigModules;
  /** Set once `ready()` has mounted storage drivers (before plugins run). */
  #featuresReady = false;
  readonly #plugins: NitroAppPlugin[] = [];
  #readyPromise: Promise<this> | undefined;
  #isReady = false;
  #scheduleTimers = true;
  #closePromise: Promise<void> | undefined;

  constructor(config: NitroConfig) {
    this.config = config;
    const baseURL = normalizeBase(config.baseURL);
    this.#modules = new ConfigModules(config.rootDir);
    this.runtimeConfig = resolveRuntimeConfig(config.runtimeConfig ?? {}, config, globalThis.process?.env ?? {});
    this.#storage = new AppStorage(config);
    this.#routeRules = new AppRouteRules(withAppWideRules(config));
    const runScheduled = (name: string, scheduledTime: number) => this.runTask(name, { payload: { scheduledTime } });
    this.#tasks = new AppTasks(config, runScheduled, (error, tags) => void this.captureError(error, { tags }));
    this.#databases = new AppDatabases(config);
    this["~maxRequestBodySize"] = config.maxRequestBodySize ?? DEFAULT_MAX_REQUEST_BODY_SIZE;
    const errorHandlers: NitroErrorHandler[] = (config.errorHandler === undefined ? [] : [config.errorHandler].flat()).map((handler) =>
      typeof handler === "string" ? this.#modules.errorHandler(handler) : handler,
    );

    this.#requestPath = new RequestPath(this, {
      routeRules: this.#routeRules,
      errorHandlers,
      dev: config.dev === true,
      maxRequestBodySize: this["~maxRequestBodySize"],
    });
    this.h3 = this.#requestPath.h3;
    this["~registry"] = this.#requestPath.routes;
    this["~beforeResponse"] = this.#requestPath.beforeResponse;
    this["~websockets"] = new AppWebSockets(config.websocket, {
      handle: (request, context) => this.#requestPath.enter(request, context as H3EventContext | undefined),
      run: (fn) => runWithApp(this, fn),
      report: (error, tags) => {
        if (this.hooks.has("error")) void this.captureError(error, { tags });
        else console.error(`[nitrokit] ${tags.join(" ")}:`, error);
      },
    });
    registerH3(this.h3, this);
    // `export default { fetch: app.fetch }` and `serve({ fetch: app.fetch })` pass it unbound.
    this.fetch = this.fetch.bind(this);
    // Like Nitro's internal $fetch, paths resolve under baseURL (ufo leaves an already prefixed one alone).
    this.$fetch = createAppFetch(createLocalFetch((request) => this.fetch(request)), baseURL ? { baseURL } : undefined) as AppFetch<NoRoutes>;

    this.#registration = new RouteRegistration(this.h3, this["~registry"], this.#requestPath.observe, baseURL, this.#modules);
    for (const route of setUpOpenAPI(config, this["~registry"], baseURL) ?? []) this.#on("get", route.path, route.handler);
    for (const middleware of config.middleware ?? []) this.use(middleware);
    for (const handler of config.handlers ?? []) this.route(handler);
    if (config.serverEntry) this.#registration.serverEntry(serverEntryHandler(config.serverEntry, this.#modules), serverEntrySource(config.serverEntry));
    if (config.tasksEndpoint) registerTasksEndpoint(this, this.#tasks, config.tasksEndpoint);
    this.#plugins.push(...(config.plugins ?? []).map((plugin) => (typeof plugin === "string" ? this.#modules.plugin(plugin) : plugin)));
    trackApp(this);
    installAmbientFetch();
  }

  get storage(): Storage {
    if (!this.#featuresReady) {
      throw new Error("[nitrokit] Storage is available once app.ready() has mounted its drivers: use it in plugins, handlers, or after `await app.ready()`.");
    }
    return this.#storage.storage;
  }

  task(name: string, task: Task): this {
    this.#tasks.register(name, task);
    return this;
  }

  async runTask(name: string, options?: RunTaskOptions): Promise<unknown> {
    await this.ready();
    try {
      return await runWithApp(this, () => this.#tasks.run(name, options));
    } catch (error) {
      if (this.#tasks.has(name)) await this.captureError(error, { tags: ["task", name] });
      throw error;
    }
  }

  listTasks(): Promise<Record<string, { description: string }>> {
    return this.#tasks.list();
  }

  getRouteRules(method: string, pathname: string): NitroRouteRulesMatch {
    assertRouteRulesArguments(method, pathname);
    return this.#routeRules.resolve(method, pathname);
  }

  database(name = "default"): Database {
    return this.#databases.get(name);
  }

  // --- registration (see RouteRegistration) --------------------------------

  get(path: string, handler: AnyRouteInput, options?: RouteOptions): this { return this.#on("get", path, handler, options); }
  post(path: string, handler: AnyRouteInput, options?: RouteOptions): this { return this.#on("post", path, handler, options); }
  put(path: string, handler: AnyRouteInput, options?: RouteOptions): this { return this.#on("put", path, handler, options); }
  patch(path: string, handler: AnyRouteInput, options?: RouteOptions): this { return this.#on("patch", path, handler, options); }
  delete(path: string, handler: AnyRouteInput, options?: RouteOptions): this { return this.#on("delete", path, handler, options); }
  head(path: string, handler: AnyRouteInput, options?: RouteOptions): this { return this.#on("head", path, handler, options); }
  options(path: string, handler: AnyRouteInput, options?: RouteOptions): this { return this.#on("options", path, handler, options); }
  all(path: string, handler: AnyRouteInput, options?: RouteOptions): this { return this.#on("", path, handler, options); }
  websocket(path: string, hooks: Partial<WebSocketHooks>): this { return this.#on("get", path, webSocketRoute(hooks)); }
  publish(topic: string, data: unknown): void { this["~websockets"].publish(topic, data); }
  route(definition: NitroHandlerConfig): this {
    this.#registration.route(definition);
    return this;
  }
  "~fileRoute"(method: RouteFileMethod | undefined, route: string, handler: EventHandler): void {
    this.#registration.fileRoute(method, route, handler);
  }
  use(pathOrMiddleware: string | Middleware | H3, middlewareOrOptions?: Middleware | H3 | MiddlewareOptions, options?: MiddlewareOptions): this {
    this.#registration.use(pathOrMiddleware, middlewareOrOptions, options);
    return this;
  }
  mount(base: string, app: MountableApp): this {
    this.#registration.mount(base, app);
    return this;
  }

  plugin(plugin: NitroAppPlugin): this {
    if (typeof plugin !== "function") throw new TypeError("[nitrokit] app.plugin() expects a function (nitroApp) => void.");
    if (this.#isReady) {
      // Late plugins run at once; there is no ready() left to fail.
      void runWithApp(this, async () => {
        try {
          await plugin(this);
        } catch (error) {
          await this.captureError(error, { tags: ["plugin"] });
        }
      });
    } else {
      this.#plugins.push(plugin);
    }
    return this;
  }

  #on(method: MethodName, path: string, input: AnyRouteInput, options?: RouteOptions): this {
    this.#registration.on(method, path, input, options);
    return this;
  }

  // --- serving (see RequestPath) ---------------------------------------------

  fetch(request: Request, context?: H3EventContext): Promise<Response> {
    return Promise.resolve(this.#requestPath.serve(request, context));
  }

  "~serve"(request: Request, context?: H3EventContext): Response | Promise<Response> {
    return this.#requestPath.serve(request, context);
  }

  "~scheduleExternally"(): void {
    this.#scheduleTimers = false;
  }

  captureError(error: unknown, context: { event?: H3Event; tags?: string[] } = {}): Promise<void> {
    return reportToErrorHook(this.hooks, error, context);
  }

  // --- lifecycle ----------------------------------------------------------

  ready(): Promise<this> {
    return (this.#readyPromise ??= this.#runPlugins());
  }

  async #runPlugins(): Promise<this> {
    await runWithApp(this, async () => {
      await this.#observe();
      await this.#modules.check();
      await Promise.all([this.#storage.mount(), this.#databases.load(), this.#routeRules.load()]);
      this.#featuresReady = true;
      await runPlugins(this, this.#plugins);
    });
    if (this.#scheduleTimers) await this.#tasks.startSchedule(this.#storage.storage);
    this.#isReady = true;
    this.#requestPath.serving();
    return this;
  }

  /** Tracing and request logs, loaded only when the config asks for them (nothing imported otherwise). */
  async #observe(): Promise<void> {
    const { tracing, logging } = this.config;
    if (tracing) {
      // By name unless handed in: a Workers bundle cannot import a package by name at run time.
      const given = tracing === true ? undefined : tracing.api;
      const [api] = given ? [given] : await importOptionalPeers<[object]>(["@opentelemetry/api"], "`tracing`");
      const { startTracing } = await import("../tracing/index.js");
      this.#requestPath.observeRequests(startTracing(tracing, { h3: this.h3, storage: this.#storage.storage }, api as OpenTelemetryAPI));
    }
    const dev = this.config.dev === true;
    if (logging || dev) {
      // `dev` alone: Server-Timing on every response, for the browser's devtools.
      const { RequestLog } = await import("../logging/request-log.js");
      this.#requestPath.observeRequests(new RequestLog(logging || undefined, dev, this.h3));
    }
  }

  close(): Promise<void> {
    return (this.#closePromise ??= this.#shutdown());
  }

  async #shutdown(): Promise<void> {
    this.#requestPath.closing();
    await this.#tasks.stopSchedule();
    await this["~websockets"].close().catch((error: unknown) => console.error("[nitrokit] Closing WebSockets failed:", error));
    try {
      await runWithApp(this, () => callHookSafely(this.hooks, "close", [], (error) => reportHookError(this.hooks, error, "close", { tags: ["close"] })));
    } finally {
      untrackApp(this);
      await this.#storage.dispose().catch((error: unknown) => console.error("[nitrokit] Disposing storage failed:", error));
      await this.#databases.dispose().catch((error: unknown) => console.error("[nitrokit] Closing databases failed:", error));
    }
  }
}
