import type { H3Event, HTTPError, HTTPMethod, LazyEventHandler, Middleware } from "h3";
import type { CompressOptions } from "../compression/compress.js";
import type { NitroRouteRule } from "../route-rules/normalize.js";
import type { ZodType } from "zod";
import type { NitroAppPlugin, RouteHandlerInput } from "./app.js";
import type { NitroWebSocketConfig } from "../ws/types.js";
import type { NitroScheduledTasksEntry, NitroSchedulerConfig, NitroTasksEndpointConfig } from "../tasks/config-types.js";
import type { NitroOpenAPIConfig } from "../openapi/config.js";
import type { NitroRouteMeta } from "../openapi/route-meta.js";
import type { NitroServerEntryOption } from "../app/server-entry.js";
import type { ErrorResponseParts } from "../errors/error-response.js";

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

/**
 * A custom error handler, as Nitro 3's. Return a `Response` to answer the error yourself,
 * or nothing to hand it to the next handler and finally to the default one.
 * `defaultHandler` gives the default answer's parts (`{ status, statusText, headers, body }`,
 * `body` the JSON object, or the HTML page for a browser unless `{ json: true }`).
 */
export type NitroErrorHandler = (
  error: HTTPError,
  event: H3Event,
  helpers: {
    defaultHandler: (error: HTTPError, event: H3Event, options?: { silent?: boolean; json?: boolean }) => ErrorResponseParts;
  },
) => Response | void | undefined | Promise<Response | void | undefined>;

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

/** A storage mount: an unstorage driver name plus its options. */
export interface NitroStorageMount {
  driver: string;
  [option: string]: unknown;
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
}

/**
 * Typed identity for a config object kept in its own module.
 *
 * @example
 * // nitro.config.ts
 * import { defineNitroConfig } from "nitrokit/config";
 * export default defineNitroConfig({ runtimeConfig: { apiSecret: "dev" } });
 */
export function defineNitroConfig<T extends NitroConfig>(config: T): T {
  return config;
}

/**
 * Nitro 3's name for {@link defineNitroConfig} (`import { defineConfig } from "nitro"`).
 *
 * @example
 * import { defineConfig } from "nitrokit";
 * export default defineConfig({ routeRules: { "/api/**": { cors: true } } });
 */
export const defineConfig: typeof defineNitroConfig = defineNitroConfig;

/** Default request body limit: large enough for JSON APIs, small enough to refuse abuse. */
export const DEFAULT_MAX_REQUEST_BODY_SIZE = 1024 * 1024;
