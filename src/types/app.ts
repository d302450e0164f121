import type { H3, H3EventContext, HTTPHandler, Middleware, MiddlewareOptions, RouteOptions } from "h3";
import type { NitroRouteRulesMatch } from "../route-rules/rules.js";
import type { Storage } from "unstorage";
import type { Database } from "db0";
import type { RunTaskOptions, Task } from "../tasks/types.js";
import type { NitroConfig, NitroHandlerConfig, NitroRuntimeConfig } from "./config.js";
import type { NitroHooks } from "../app/hooks.js";
import type { WebSocketHooks } from "../ws/types.js";
import type { AppFetch, RouteMethod, TypedRoute } from "../typed/fetch-types.js";
import type { DefinitionEndpoint, RouteEndpoint, TypedRouteDefinition } from "../typed/route-types.js";
import type { HandlerEndpoint } from "../typed/handler-endpoint.js";
import type { StandardSchemaV1 } from "../typed/schema.js";
import type { NodeStyleApp } from "../app/node-apps.js";

export type { RouteMap, RouteMethod, TypedRoute } from "../typed/fetch-types.js";

/** Anything a route can be served by: an h3 handler, an H3 app, or an object with `fetch(Request)`. */
export type RouteHandlerInput = HTTPHandler;

/** A plugin: runs once in `ready()`, in registration order; async plugins are awaited. */
export type NitroAppPlugin = (nitroApp: NitroApp) => void | Promise<void>;

/** What a handler resolves to: its awaited return value, or `Response` for fetchable objects. */
export type HandlerResult<H> = H extends (...args: never[]) => infer R
  ? Awaited<R>
  : H extends { fetch: (...args: never[]) => unknown }
    ? Response
    : unknown;

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
  captureError(error: unknown, context?: { event?: import("h3").H3Event; tags?: string[] }): Promise<void>;
}
