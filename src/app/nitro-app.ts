import {
  H3,
  HTTPError,
  type H3Event,
  type H3EventContext,
  type Middleware,
  type MiddlewareOptions,
  type RouteOptions,
} from "h3";
import type { $Fetch } from "ofetch";
import type { MountableApp, NitroApp, NitroAppPlugin } from "../types/app.js";
import { DEFAULT_MAX_REQUEST_BODY_SIZE, type NitroConfig, type NitroErrorHandler, type NitroHandlerConfig, type NitroRuntimeConfig } from "../types/config.js";
import { validateConfig } from "../config/schema.js";
import { withDevDefault } from "../config/dev-mode.js";
import { needsAsyncContext, registerH3, runInScope, runWithApp, trackApp, untrackApp, type NitroScope } from "./context.js";
import { unavailableResponse } from "../errors/error-response.js";
import { answerRequestError } from "./request-errors.js";
import { normalizeBase } from "./paths.js";
import { createAppFetch, createLocalFetch } from "../fetch/local-fetch.js";
import { callHookSafely, NitroHooks, reportHookError, reportToErrorHook } from "./hooks.js";
import { installAmbientFetch } from "../fetch/ambient-fetch.js";
import { RequestHooks } from "./request-hooks.js";
import { runPlugins } from "./plugins.js";
import { RouteTable } from "./route-registry.js";
import { AppStorage } from "../storage/app-storage.js";
import { AppRouteRules, assertRouteRulesArguments, type NitroRouteRulesMatch } from "../route-rules/rules.js";
import { withAppWideRules } from "../route-rules/app-wide.js";
import { AppTasks } from "../tasks/app-tasks.js";
import { registerTasksEndpoint } from "../tasks/endpoint.js";
import type { RunTaskOptions, Task } from "../tasks/types.js";
import { AppDatabases } from "../database/app-databases.js";
import type { Database } from "db0";
import type { Storage } from "unstorage";
import { resolveRuntimeConfig } from "../config/runtime-config-resolve.js";
import { AppWebSockets } from "../ws/app-websockets.js";
import { webSocketRoute } from "../ws/route.js";
import type { WebSocketHooks } from "../ws/types.js";
import type { RouteInput } from "../typed/define.js";
import type { NoRoutes } from "../typed/fetch-types.js";
import { AppRouter, type MethodName } from "./registration.js";
import { registerAppInternals } from "./internals.js";
import { setUpOpenAPI } from "../openapi/routes.js";
import { closeAfterBodyTooLarge, limitBody } from "../input/body-limit.js";
import { guardRequest } from "../input/guard-request.js";
import { ConfigModules } from "../config/modules.js";
import { serverEntryHandler, serverEntrySource } from "./server-entry.js";

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
  return new NitroAppImpl(withDevDefault(validateConfig(config))) as unknown as NitroApp<NoRoutes>;
}

export { appInternals, type AppInternals } from "./internals.js";

class NitroAppImpl {
  readonly h3: H3;
  readonly hooks = new NitroHooks();
  readonly config: NitroConfig;
  readonly runtimeConfig: NitroRuntimeConfig;
  readonly $fetch: $Fetch;

  readonly #routes = new RouteTable();
  readonly #requestHooks = new RequestHooks(this.hooks, (error, hook, event) => reportHookError(this.hooks, error, hook, { event, tags: ["hook", hook] }));
  readonly #storage: AppStorage;
  readonly #routeRules: AppRouteRules;
  readonly #tasks: AppTasks;
  readonly #databases: AppDatabases;
  readonly #websockets: AppWebSockets;
  readonly #router: AppRouter;
  /** Module paths from the config (`"./routes/x.ts"`): imported on first use, checked by `ready()`. */
  readonly #modules: ConfigModules;
  /** Set once `ready()` has mounted storage drivers (before plugins run). */
  #featuresReady = false;
  readonly #plugins: NitroAppPlugin[] = [];
  readonly #errorHandlers: NitroErrorHandler[];
  readonly #dev: boolean;
  readonly #baseURL: string;
  readonly #maxRequestBodySize: number;
  #readyPromise: Promise<this> | undefined;
  #isReady = false;
  #scheduleTimers = true;
  #startFailureLogged = false;
  #closePromise: Promise<void> | undefined;

  constructor(config: NitroConfig) {
    this.config = config;
    this.#dev = config.dev === true;
    this.#baseURL = normalizeBase(config.baseURL);
    this.#maxRequestBodySize = config.maxRequestBodySize ?? DEFAULT_MAX_REQUEST_BODY_SIZE;
    this.#modules = new ConfigModules(config.rootDir);
    this.#errorHandlers = (config.errorHandler === undefined ? [] : [config.errorHandler].flat()).map((handler) =>
      typeof handler === "string" ? this.#modules.errorHandler(handler) : handler,
    );
    this.runtimeConfig = resolveRuntimeConfig(config.runtimeConfig ?? {}, config, globalThis.process?.env ?? {});
    this.#storage = new AppStorage(config);
    this.#routeRules = new AppRouteRules(withAppWideRules(config));
    const runScheduled = (name: string, scheduledTime: number) => this.runTask(name, { payload: { scheduledTime } });
    this.#tasks = new AppTasks(config, runScheduled, (error, tags) => void this.captureError(error, { tags }));
    this.#databases = new AppDatabases(config);
    this.#websockets = new AppWebSockets(config.websocket, {
      handle: (request, context) => this.#handle(request, context as H3EventContext | undefined),
      run: (fn) => runWithApp(this as unknown as NitroApp, fn),
      report: (error, tags) => {
        if (this.hooks.has("error")) void this.captureError(error, { tags });
        else console.error(`[nitrokit] ${tags.join(" ")}:`, error);
      },
    });
    this.h3 = new H3({
      silent: true,
      onRequest: (event) => {
        guardRequest(event, this.#maxRequestBodySize);
        return this.#requestHooks.onRequest(event);
      },
      onError: (error, event) => this.#onError(error, event),
    });
    if (!this.#routeRules.empty) {
      // The order is Nitro 3's whenever anything is registered (before or after ready(), in a plugin,
      // on app.h3): route rules (cors, headers, redirect, proxy), the global middleware in registration
      // order, then the cache rule around the route's middleware and handler. Without rules h3 keeps
      // its own precomposed chain.
      this.h3["~getMiddleware"] = (event) => this.#routeRules.middlewareFor(event, this.h3["~middleware"]);
    }
    registerH3(this.h3, this as unknown as NitroApp);
    // `export default { fetch: app.fetch }` and `serve({ fetch: app.fetch })` pass it unbound.
    this.fetch = this.fetch.bind(this);
    // Like Nitro's internal $fetch, paths resolve under baseURL (ufo leaves an already prefixed one alone).
    this.$fetch = createAppFetch(createLocalFetch((request) => this.fetch(request)), this.#baseURL ? { baseURL: this.#baseURL } : undefined);
    registerAppInternals(this, {
      handle: (request, context) => this.#serve(request, context),
      routes: this.#routes,
      maxRequestBodySize: this.#maxRequestBodySize,
      websockets: this.#websockets,
      scheduleExternally: () => void (this.#scheduleTimers = false),
    });
    const openAPI = setUpOpenAPI(config, this.#baseURL);
    this.#router = new AppRouter(this.h3, this.#routes, this.#requestHooks, this.#baseURL, openAPI?.catalog, this.#modules);
    for (const route of openAPI?.routes ?? []) this.#on("get", route.path, route.handler);
    for (const middleware of config.middleware ?? []) this.use(middleware);
    for (const handler of config.handlers ?? []) this.route(handler);
    if (config.serverEntry) this.#router.serverEntry(serverEntryHandler(config.serverEntry, this.#modules), serverEntrySource(config.serverEntry));
    if (config.tasksEndpoint) registerTasksEndpoint(this, this.#tasks, config.tasksEndpoint);
    this.#plugins.push(...(config.plugins ?? []).map((plugin) => (typeof plugin === "string" ? this.#modules.plugin(plugin) : plugin)));
    trackApp(this as unknown as NitroApp);
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
      return await runWithApp(this as unknown as NitroApp, () => this.#tasks.run(name, options));
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

  // --- registration (see AppRouter) ----------------------------------------

  get(path: string, handler: RouteInput, options?: RouteOptions): this { return this.#on("get", path, handler, options); }
  post(path: string, handler: RouteInput, options?: RouteOptions): this { return this.#on("post", path, handler, options); }
  put(path: string, handler: RouteInput, options?: RouteOptions): this { return this.#on("put", path, handler, options); }
  patch(path: string, handler: RouteInput, options?: RouteOptions): this { return this.#on("patch", path, handler, options); }
  delete(path: string, handler: RouteInput, options?: RouteOptions): this { return this.#on("delete", path, handler, options); }
  head(path: string, handler: RouteInput, options?: RouteOptions): this { return this.#on("head", path, handler, options); }
  options(path: string, handler: RouteInput, options?: RouteOptions): this { return this.#on("options", path, handler, options); }
  all(path: string, handler: RouteInput, options?: RouteOptions): this { return this.#on("", path, handler, options); }
  websocket(path: string, hooks: Partial<WebSocketHooks>): this { return this.#on("get", path, webSocketRoute(hooks)); }
  publish(topic: string, data: unknown): void { this.#websockets.publish(topic, data); }
  route(definition: NitroHandlerConfig): this {
    this.#router.route(definition);
    return this;
  }
  use(pathOrMiddleware: string | Middleware | H3, middlewareOrOptions?: Middleware | H3 | MiddlewareOptions, options?: MiddlewareOptions): this {
    this.#router.use(pathOrMiddleware, middlewareOrOptions, options);
    return this;
  }
  mount(base: string, app: MountableApp): this {
    this.#router.mount(base, app);
    return this;
  }

  plugin(plugin: NitroAppPlugin): this {
    if (typeof plugin !== "function") throw new TypeError("[nitrokit] app.plugin() expects a function (nitroApp) => void.");
    if (this.#isReady) {
      // Late plugins run at once; there is no ready() left to fail.
      void runWithApp(this as unknown as NitroApp, async () => {
        try {
          await plugin(this as unknown as NitroApp);
        } catch (error) {
          await this.captureError(error, { tags: ["plugin"] });
        }
      });
    } else {
      this.#plugins.push(plugin);
    }
    return this;
  }

  #on(method: MethodName, path: string, input: RouteInput, options?: RouteOptions): this {
    this.#router.on(method, path, input, options);
    return this;
  }

  // --- serving ------------------------------------------------------------

  fetch(request: Request, context?: H3EventContext): Promise<Response> {
    return Promise.resolve(this.#serve(request, context));
  }

  /** Where every request from outside enters, through `fetch` or an adapter: the body limit is applied here, once. */
  #serve(request: Request, context?: H3EventContext): Response | Promise<Response> {
    return this.#handle(limitBody(request, this.#maxRequestBodySize), context);
  }

  #handle(request: Request, context?: H3EventContext): Response | Promise<Response> {
    if (this.#closePromise) return unavailableResponse("The server is shutting down.");
    if (!this.#isReady) {
      return this.ready().then(
        () => this.#handle(request, context),
        (error) => {
          if (!this.#startFailureLogged) console.error("[nitrokit] Not serving: ready() failed:", error);
          this.#startFailureLogged = true;
          return unavailableResponse("The server failed to start.");
        },
      );
    }
    // h3 only pays for the response hook (a promise chain per request) while someone listens.
    this.h3.config.onResponse = this.#requestHooks.onResponse;
    if (!needsAsyncContext(this as unknown as NitroApp)) return this.h3.request(request, undefined, context);
    const scope: NitroScope = { app: this as unknown as NitroApp, event: undefined };
    // An upgrade request carries the context crossws hands its peer (`request.context`): keep that one object.
    const shared = context ?? (request as { context?: H3EventContext }).context;
    return runInScope(scope, this.h3.request, request, undefined, RequestHooks.scopedContext(scope, shared));
  }

  async #onError(error: HTTPError, event: H3Event): Promise<Response> {
    const response = await answerRequestError(error, event, {
      routes: this.#routes,
      errorHandlers: this.#errorHandlers,
      dev: this.#dev,
      report: (reported) => this.captureError(reported, { event, tags: ["request"] }),
    });
    return closeAfterBodyTooLarge(response);
  }

  captureError(error: unknown, context: { event?: H3Event; tags?: string[] } = {}): Promise<void> {
    return reportToErrorHook(this.hooks, error, context);
  }

  // --- lifecycle ----------------------------------------------------------

  ready(): Promise<this> {
    return (this.#readyPromise ??= this.#runPlugins());
  }

  async #runPlugins(): Promise<this> {
    await runWithApp(this as unknown as NitroApp, async () => {
      await this.#modules.check();
      await Promise.all([this.#storage.mount(), this.#databases.load()]);
      this.#featuresReady = true;
      await runPlugins(this as unknown as NitroApp, this.#plugins);
    });
    if (this.#scheduleTimers) await this.#tasks.startSchedule(this.#storage.storage);
    this.#isReady = true;
    return this;
  }

  close(): Promise<void> {
    return (this.#closePromise ??= this.#shutdown());
  }

  async #shutdown(): Promise<void> {
    await this.#tasks.stopSchedule();
    await this.#websockets.close().catch((error: unknown) => console.error("[nitrokit] Closing WebSockets failed:", error));
    try {
      await runWithApp(this as unknown as NitroApp, () =>
        callHookSafely(this.hooks, "close", [], (error) => reportHookError(this.hooks, error, "close", { tags: ["close"] })),
      );
    } finally {
      untrackApp(this as unknown as NitroApp);
      await this.#storage.dispose().catch((error: unknown) => console.error("[nitrokit] Disposing storage failed:", error));
      await this.#databases.dispose().catch((error: unknown) => console.error("[nitrokit] Closing databases failed:", error));
    }
  }
}

