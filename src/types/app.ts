/**
 * The types a user's app is made of: the app object and the config it is created from.
 * They live in one module because they refer to each other (plugins and error handlers
 * receive the app; the app exposes its config), and modules must not import in a circle.
 */
import type { EventHandler, H3, H3Event, H3EventContext, HTTPHandler, HTTPMethod, LazyEventHandler, Middleware, MiddlewareOptions, RouteOptions } from "h3";
import type { RouteFileMethod } from "../routing/conventions.js";
import type { NitroRouteRulesMatch } from "./route-rules.js";
import type { Storage } from "unstorage";
import type { Database } from "db0";
import type { RunTaskOptions, Task } from "../tasks/types.js";
import type { NitroHooks } from "../app/hooks.js";
import type { NitroWebSocketConfig, WebSocketHooks } from "../ws/types.js";
import type { AppFetch, RouteMethod, TypedRoute } from "../typed/fetch-types.js";
import type { DefinitionEndpoint, RouteEndpoint, TypedRouteDefinition } from "../typed/route-types.js";
import type { HandlerEndpoint } from "../typed/handler-endpoint.js";
import type { StandardSchemaV1 } from "../typed/schema.js";
import type { NodeStyleApp } from "../app/node-apps.js";
import type { NitroRouteRule } from "../route-rules/normalize.js";
import type { CompressOptions } from "../compression/compress.js";
import type { ZodType } from "zod";
import type { NitroScheduledTasksEntry, NitroSchedulerConfig, NitroTasksEndpointConfig } from "../tasks/config-types.js";
import type { NitroOpenAPIConfig } from "../openapi/config.js";
import type { NitroRouteMeta } from "../openapi/route-meta.js";
import type { NitroServerEntryOption } from "./server-entry.js";
import type { NitroErrorHandler } from "./errors.js";
import type { RouteRegistry } from "../app/route-registry.js";
import type { NitroStorageMount } from "../storage/drivers.js";
import type { AppWebSockets } from "../ws/app-websockets.js";
import type { NitroLoggingConfig, NitroTracingConfig } from "./observability.js";

export type { NitroErrorHandler } from "./errors.js";
export type { NitroStorageMount } from "../storage/drivers.js";

export type { HandlerResult } from "../typed/handler-endpoint.js";

export type { RouteMap, RouteMethod, TypedRoute } from "../typed/fetch-types.js";

/** Anything a route can be served by: an h3 handler, an H3 app, or an object with `fetch(Request)`. */
export type RouteHandlerInput = HTTPHandler;

/** A plugin: runs once in `ready()`, in registration order; async plugins are awaited. */
export type NitroAppPlugin = (nitroApp: NitroApp) => void | Promise<void>;


/**
 * `Routes` plus one route. The registration methods spell this union out rather than use
 * the alias: an alias keeps its arguments, so 200 chained routes would nest 200 deep.
 */
export type WithRoute<Routes extends TypedRoute, Path extends string, Method extends RouteMethod, Endpoint extends RouteEndpoint> =
  | Routes
  | TypedRoute<Path, Method, Endpoint>;

type Registrar<Routes extends TypedRoute, Method extends RouteMethod> = {
  /** Registers a route whose params, query and body are validated with schemas (see `defineTypedHandler`). */
  <
    Path extends string,
    Params extends StandardSchemaV1 | undefined = undefined,
    Query extends StandardSchemaV1 | undefined = undefined,
    Body extends StandardSchemaV1 | undefined = undefined,
    Response extends StandardSchemaV1 | undefined = undefined,
    Result = unknown,
  >(
    path: Path,
    definition: TypedRouteDefinition<Params, Query, Body, Response, Result, Path>,
    options?: RouteOptions,
  ): NitroApp<Routes | TypedRoute<Path, Method, DefinitionEndpoint<Query, Body, Response, Result>>>;
  /** Registers a handler: an h3 handler, a typed handler, an H3 app or an object with `fetch()`. */
  <Path extends string, Handler extends RouteHandlerInput>(
    path: Path,
    handler: Handler,
    options?: RouteOptions,
  ): NitroApp<Routes | TypedRoute<Path, Method, HandlerEndpoint<Handler>>>;
};

/**
 * Something `mount()` accepts: an H3 app, any `fetch(Request)` server such as Hono or
 * Elysia, a fetch function, or a Node.js-style app (Express, Connect, `fastify.routing`),
 * which is served through srvx's `toFetchHandler` with the request body streamed to it.
 */
export type MountableApp =
  | H3
  | { fetch: (request: Request) => Response | Promise<Response> }
  | ((request: Request) => Response | Promise<Response>)
  | NodeStyleApp;

/**
 * The one object a nitrokit user holds: routes, middleware, plugins and hooks
 * are registered on it, adapters serve its `fetch`, tests call it in-process.
 *
 * Each route registration returns the app typed with the route it added, so a
 * chain (`createNitroApp().get(…).post(…)`) carries its whole route map in its
 * type. Statement-style registration works the same, it just adds no types.
 */
export interface NitroApp<Routes extends TypedRoute = any> {
  /** The h3 app underneath, for anything nitrokit does not wrap. */
  readonly h3: H3;
  /** Lifecycle hooks (hookable): `request`, `beforeResponse`, `response`, `error`, `close`. */
  readonly hooks: NitroHooks;
  /** The config the app was created with (validated). */
  readonly config: Readonly<NitroConfig>;
  /** Runtime config with the process env overlay applied. Prefer `useRuntimeConfig()` in handlers. */
  readonly runtimeConfig: NitroRuntimeConfig;
  /**
   * The app's key-value storage (unstorage) with its mounts: `data` and `cache` by default,
   * plus those in `storage`. Available from `ready()` on (plugins included).
   */
  readonly storage: Storage;
  /** Registers a task under `name` (`db:migrate`); names are unique. */
  task(name: string, task: Task): this;
  /** Runs a task (after `ready()`); see `runTask` in `nitrokit/task`. */
  runTask(name: string, options?: RunTaskOptions): Promise<unknown>;
  /**
   * The registered tasks: `{ "db:migrate": { description } }`. Resolves once every lazily
   * registered task's module is loaded, so each description is known before its first run.
   */
  listTasks(): Promise<Record<string, { description: string }>>;
  /**
   * The route rules that apply to a request with `method` (`""`: any) to `pathname`, merged
   * from broad to narrow patterns as the request path applies them, and the middleware they
   * run: `{ routeRules, routeRuleMiddleware }`, as Nitro 3's `getRouteRules(method, pathname)`.
   */
  getRouteRules(method: string, pathname: string): NitroRouteRulesMatch;
  /**
   * A SQL connection (db0): `default` (embedded SQLite) or one named in `database`.
   * Created on first use; prefer `useDatabase()` in handlers.
   */
  database(name?: string): Database;
  /** Types only: the routes registered through chained calls. */
  readonly "~routes"?: Routes;

  get: Registrar<Routes, "get">;
  post: Registrar<Routes, "post">;
  put: Registrar<Routes, "put">;
  patch: Registrar<Routes, "patch">;
  delete: Registrar<Routes, "delete">;
  head: Registrar<Routes, "head">;
  options: Registrar<Routes, "options">;
  /** Registers a handler for every method. */
  all: Registrar<Routes, "all">;
  /**
   * Registers a route in Nitro's `handlers` shape. With `lazy: true` the handler is a
   * loader (`() => import("./routes/x.js")`) called on the route's first request, once.
   */
  route(definition: NitroHandlerConfig): this;

  /** Adds global middleware, run in registration order before the route handler. */
  use(middleware: Middleware | H3, options?: MiddlewareOptions): this;
  /** Adds middleware that runs only for paths under `path`. */
  use(path: string, middleware: Middleware | H3, options?: MiddlewareOptions): this;
  /**
   * Serves another app under `base`, which it sees stripped from its paths: an H3 app (its
   * routes join the app's), Hono, Elysia, any `fetch` handler, or a Node.js-style app
   * (Express, Connect, `fastify.routing` after `await fastify.ready()`), detected by its
   * `(req, res[, next])` signature and bridged by srvx so request bodies reach it.
   * `"/"` makes it the fallback for paths no route serves. An app that answers nothing
   * (a Node app calling `next()`) hands the request on to the 404. A value that cannot
   * serve requests is refused here with a `TypeError`.
   *
   * @example
   * import express from "express";
   * const legacy = express().use(express.json());
   * legacy.post("/echo", (req, res) => res.json(req.body));
   * app.mount("/legacy", legacy); // POST /legacy/echo
   */
  mount(base: string, app: MountableApp): this;
  /**
   * Serves WebSockets at `path` (crossws hooks: `upgrade`, `open`, `message`, `close`, `error`).
   * Same as `app.get(path, defineWebSocketHandler(hooks))`, except that a plain
   * request gets a JSON `426 Upgrade Required`. The upgrade request passes the app's
   * middleware and route rules first.
   */
  websocket(path: string, hooks: Partial<WebSocketHooks>): this;
  /**
   * Sends `data` (objects as JSON) to every WebSocket peer subscribed to `topic`,
   * including, with `websocket.pubsub`, those connected to other instances.
   */
  publish(topic: string, data: unknown): void;
  /** Adds a plugin, run by `ready()`. */
  plugin(plugin: NitroAppPlugin): this;

  /**
   * Serves one request. Calls `ready()` first if nobody has. `context` seeds
   * `event.context` (adapters pass platform data here, e.g. `{ cloudflare: { env, context } }`).
   */
  fetch(request: Request, context?: H3EventContext): Promise<Response>;
  /**
   * ofetch bound to this app: relative paths are served in-process, absolute URLs go to the network.
   * Once the app's type carries routes (chained registrations), it is typed by them: see `TypedFetch`.
   */
  readonly $fetch: AppFetch<Routes>;

  /** Runs the plugins in order, awaiting async ones. Safe to call many times. */
  ready(): Promise<this>;
  /** Fires the `close` hook, then releases what the app owns. Idempotent. */
  close(): Promise<void>;
  /** Reports an error through the `error` hook without failing the caller. */
  captureError(error: unknown, context?: { event?: H3Event; tags?: string[] }): Promise<void>;

  // What adapters and the CLI use beyond the public surface: h3's `~` convention, not a stable API.

  /** Serves a request as `fetch` does (body limit included), without wrapping a synchronous answer in a promise. */
  "~serve"(request: Request, context?: H3EventContext): Response | Promise<Response>;
  /** The app's routes (read from h3's list): 404/405, `nitrokit routes`, the Express fall-through, Bun's native routes. */
  readonly "~registry": RouteRegistry;
  /** The request body limit in bytes (`maxRequestBodySize`), for servers that can refuse earlier. */
  readonly "~maxRequestBodySize": number;
  /** The app's WebSocket peers and hooks, for adapters to attach crossws to. */
  readonly "~websockets": AppWebSockets;
  /** The platform fires `scheduledTasks` (Workers cron triggers, Lambda schedules): `ready()` arms no timers. */
  "~scheduleExternally"(): void;
  /**
   * Registers a route of a file (`registerRoutes`): `handler` imports its module on first request
   * and applies the app's `~beforeResponse` itself; `route` was made from the file's path. As
   * `route({ route, method, handler })`, for less per route: h3 gets `handler` as it is, unwrapped.
   */
  "~fileRoute"(method: RouteFileMethod | undefined, route: string, handler: EventHandler): void;
  /** The `beforeResponse` hook, for route handlers that apply it themselves (`~fileRoute`'s). */
  readonly "~beforeResponse": BeforeResponseHook;
}

/**
 * The `beforeResponse` hook as a route handler applies it: what the app's wrapper around every
 * other route handler does, and in the same order (`listening()` before the handler runs).
 */
export interface BeforeResponseHook {
  /** Whether a `beforeResponse` hook listens now. */
  listening(): boolean;
  /** What the handler returned (or resolves to) once the hook has seen it, and maybe replaced it. */
  apply(event: H3Event, result: unknown): Promise<unknown>;
}

/** Runtime config: plain data, overridable per key from `NITRO_*` environment variables. */
export interface NitroRuntimeConfig {
  /** Values safe to send to a browser. */
  public?: Record<string, unknown>;
  /** Nitro's app keys: `baseURL` is the config's `baseURL` with a trailing slash (`/`, `/app/`). */
  app?: { baseURL?: string; [key: string]: unknown };
  /**
   * Nitro's own keys: `envPrefix` (the second env prefix, Nitro's place for it),
   * `envExpansion`, and the config's `routeRules` and `openAPI`, for reading.
   */
  nitro?: { envPrefix?: string; envExpansion?: boolean; [key: string]: unknown };
  [key: string]: unknown;
}


/** A route registered from config, in the shape of Nitro's `handlers` option. */
export interface NitroHandlerConfig {
  route: string;
  method?: HTTPMethod | Lowercase<HTTPMethod>;
  /**
   * The handler (a middleware with `middleware: true`), or with `lazy: true` a loader
   * such as `() => import("./routes/x.js")` whose default export is the handler, or a
   * module path as in Nitro (`"./routes/x.ts"`, resolved against `rootDir`, imported on
   * the first request; `ready()` fails when the file does not exist).
   */
  handler: RouteHandlerInput | Middleware | LazyEventHandler | string;
  lazy?: boolean;
  /** Registers the handler as middleware (for every route under `route`) instead of as a route. */
  middleware?: boolean;
  /** Route meta, as Nitro's: `openAPI` describes the route in the OpenAPI document. */
  meta?: NitroRouteMeta;
}

/** Options Nitro's runtime features that arrive in later versions of nitrokit read. */
export interface NitroExperimentalConfig {
  database?: boolean;
  tasks?: boolean;
  websocket?: boolean;
  asyncContext?: boolean;
  /** Expand `{{VAR}}` in runtime config strings from the environment. */
  envExpansion?: boolean;
  /** Nitro's switch for the OpenAPI document; same as `openAPI: true`. */
  openAPI?: boolean;
}

/** A read-only directory mounted at `assets:<baseName>` (Nitro's `serverAssets` entry). */
export interface NitroServerAssetDir {
  /** The mount name: `useStorage("assets:<baseName>")`. */
  baseName: string;
  /** The directory, relative to `rootDir` unless absolute. */
  dir: string;
}

/** A db0 connection. */
export interface NitroDatabaseConnection {
  connector: string;
  options?: Record<string, unknown>;
}

/** The config object `createNitroApp()` accepts: Nitro's runtime options, as documented. */
export interface NitroConfig {
  /** Development mode: error responses carry the message and stack. */
  dev?: boolean;
  /**
   * The directory `.data/` (default storage and database files) lives in, and the one module
   * paths in the config (`handlers`, `plugins`, `errorHandler`, `serverEntry`) are relative to.
   * Default: the working directory.
   */
  rootDir?: string;
  /** A path prefix all routes live under (`/app` serves `/app/api/hello`). */
  baseURL?: string;
  runtimeConfig?: NitroRuntimeConfig;
  /**
   * A zod schema the resolved runtime config (after the env overlay) must satisfy;
   * a mismatch fails `createNitroApp()` with the offending keys.
   */
  runtimeConfigSchema?: ZodType;
  /**
   * Second prefix looked up for runtime config env overrides, after `NITRO_` (e.g. `"APP_"`).
   * Same as Nitro's `runtimeConfig.nitro.envPrefix` (either works; both must agree).
   */
  envPrefix?: string;
  /**
   * Rules by route pattern (`/blog/**`): headers, cors, redirect, proxy, cache/swr, static/prerender/isr,
   * and nitrokit's rateLimit, compress, etag, securityHeaders.
   */
  routeRules?: Record<string, NitroRouteRule>;
  /**
   * Compress every compressible response (brotli, zstd, gzip from `Accept-Encoding`, see
   * `defineCompression`): the `compress` route rule on `/**`, which narrower rules override.
   */
  compress?: boolean | CompressOptions;
  storage?: Record<string, NitroStorageMount>;
  devStorage?: Record<string, NitroStorageMount>;
  /**
   * Read-only directories mounted at `assets:<baseName>` (`getMeta` gives `type`,
   * `etag`, `mtime`); `<rootDir>/assets`, when it exists, is `assets:server`.
   */
  serverAssets?: NitroServerAssetDir[];
  database?: Record<string, NitroDatabaseConnection>;
  devDatabase?: Record<string, NitroDatabaseConnection>;
  /**
   * Cron expression (5 fields, or 6 with seconds first) → task name(s) run at each tick with
   * `{ scheduledTime }` as payload, or `{ tasks, timezone }` for an entry in its own time zone.
   */
  scheduledTasks?: Record<string, NitroScheduledTasksEntry>;
  /**
   * Scheduler options: the default `timezone` of `scheduledTasks`, and a shared `lock`
   * (Redis, or your own `TaskLock`) so each tick runs on exactly one instance.
   * (Not Nitro's `tasks` key, which maps task names to handler files at build time.)
   */
  scheduler?: NitroSchedulerConfig;
  /**
   * Serves Nitro's dev task endpoints in production: `GET /_nitro/tasks` and
   * `POST /_nitro/tasks/:name`. Off by default; needs `token` and/or `authorize`
   * (or an explicit `insecure: true`).
   */
  tasksEndpoint?: NitroTasksEndpointConfig;
  /** WebSocket limits and the cross-instance relay for `peer.publish()`. */
  websocket?: NitroWebSocketConfig;
  experimental?: NitroExperimentalConfig;
  /**
   * Custom error handlers, tried in order before the default one. Each may be a module
   * path (`"./error.ts"`, resolved against `rootDir`, default export), imported by `ready()`.
   */
  errorHandler?: NitroErrorHandler | string | Array<NitroErrorHandler | string>;
  /** Routes to register at creation, as Nitro's `handlers` option. */
  handlers?: NitroHandlerConfig[];
  /** Global middleware to register at creation, in order. */
  middleware?: Middleware[];
  /**
   * Plugins to run in `ready()`, in order, before those added with `app.plugin()`.
   * Each may be a module path (`"./plugins/db.ts"`, resolved against `rootDir`, default export).
   */
  plugins?: Array<NitroAppPlugin | string>;
  /**
   * Nitro's server entry (`server.ts`): an h3 handler, an H3 or Hono app, any object with
   * `fetch()`, a Node.js-style app (Express, `fastify.routing`), a module path (default
   * export; `*.node.ts` is a Node handler), Nitro's `{ handler, format }`, or `false`.
   * It is the catch-all under every specific route: routes win; every other request
   * reaches it after global middleware, and when it returns nothing (`undefined`) the
   * request goes on to the 404 (or 405).
   *
   * @example
   * import { Hono } from "hono";
   * const hono = new Hono().get("/", (c) => c.text("Hello from Hono"));
   * const app = createNitroApp({ serverEntry: hono });
   */
  serverEntry?: NitroServerEntryOption;
  /**
   * Largest request body accepted, in bytes; larger bodies get `413`.
   * @default 1_048_576 (1 MiB)
   */
  maxRequestBodySize?: number;
  /**
   * Serves an OpenAPI 3.1 document of the registered routes and their schemas
   * (default `/_openapi.json`) and an API reference page (default `/_swagger`, needs the
   * optional package `swagger-ui-dist`). Off by default.
   */
  openAPI?: boolean | NitroOpenAPIConfig;
  /**
   * OpenTelemetry spans (off by default): a server span per request named by its route
   * pattern, child spans for middleware, handlers, cached functions, storage, SQL and tasks,
   * W3C `traceparent` continued and propagated on `$fetch`. Needs `@opentelemetry/api` and an
   * SDK you register (or `tracerProvider`). Off, nothing of it is loaded.
   *
   * @example
   * createNitroApp({ tracing: true });
   */
  tracing?: boolean | NitroTracingConfig;
  /**
   * One log line per request (method, path, status, duration, request id), JSON lines in
   * production, readable lines with `dev: true`; `event.context.requestId` from a valid
   * `x-request-id` or generated, echoed in the response. With `dev: true` responses carry a
   * `Server-Timing` header (middleware, handler, cache, db).
   *
   * @example
   * createNitroApp({ logging: true });
   */
  logging?: boolean | NitroLoggingConfig;
}
