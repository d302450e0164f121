/**
 * nitrokit: Nitro's server runtime as a library.
 * @module
 */
export { createNitroApp } from "./app/nitro-app.js";
export { definePlugin } from "./app/plugins.js";
export { useNitroApp, useEvent } from "./app/context.js";
export { defineConfig, defineNitroConfig } from "./config/define.js";
export { defineErrorHandler, defineNitroErrorHandler } from "./errors/define-error-handler.js";
export { $fetch } from "./fetch/ambient-fetch.js";
// Nitro 3's root `nitro` entry: h3's helpers re-exported as they are, not wrapped.
export { defineHandler, defineMiddleware, defineWebSocketHandler, html, HTTPError, HTTPResponse } from "h3";
export type { H3Event, EventHandlerRequest, EventHandlerWithFetch } from "h3";
export type { FastResponse } from "srvx";
export { defineRouteMeta, type NitroRouteMeta } from "./openapi/route-meta.js";
export { fetch, serverFetch } from "./fetch/server-fetch.js";
export { getRouteRules, type NitroRouteRule } from "./route-rules/index.js";
export { defineRateLimit, type RateLimitOptions } from "./rate-limit/index.js";
export { defineSecurityHeaders, type SecurityHeadersOptions } from "./security/index.js";
export { defineCompression, defineETag, type CompressOptions, type ContentEncoding } from "./compression/index.js";
export { defineTypedHandler, type TypedHandler } from "./typed/define.js";
export type { StandardSchemaV1, InferInput, InferOutput } from "./typed/schema.js";
export type {
  RouteEndpoint,
  RouteValidation,
  TypedRouteDefinition,
  TypedRouteMeta,
  RouteOpenAPIMeta,
  ValidatedInput,
} from "./typed/route-types.js";
export type { ValidationIssue, ValidationErrorData, InputSource } from "./typed/validation.js";
export type { AppFetch, NoRoutes, RoutesOf, TypedFetch, TypedFetchOptions } from "./typed/fetch-types.js";
export type { Serialized } from "./typed/serialize.js";
export type { PathParams } from "./typed/path-types.js";
export type { RegistryRoutes, RouteModuleLoader, RouteRegistry } from "./typed/registry-types.js";
export type { NitroOpenAPIConfig } from "./openapi/config.js";
export type { NitroLoggingConfig, NitroTracingConfig, RequestLogger, RequestLogRecord, TracerProviderLike } from "./types/observability.js";
export type { OpenAPIDocument } from "./openapi/document.js";
export type {
  HandlerResult,
  MountableApp,
  NitroApp,
  NitroAppPlugin,
  RouteHandlerInput,
  RouteMap,
  RouteMethod,
  TypedRoute,
  WithRoute,
} from "./types/app.js";
export type {
  NitroConfig,
  NitroDatabaseConnection,
  NitroErrorHandler,
  NitroExperimentalConfig,
  NitroHandlerConfig,
  NitroRuntimeConfig,
  NitroStorageMount,
} from "./types/app.js";
export type { NitroHooks, NitroRuntimeHooks } from "./app/hooks.js";
export type { NitroWebSocketConfig, RedisWebSocketPubSub, WebSocketHooks, WebSocketPubSubConfig } from "./ws/types.js";
export type { NitroRedisTaskLockConfig, NitroScheduledTasksEntry, NitroSchedulerConfig, NitroTasksEndpointConfig } from "./tasks/config-types.js";
export type { ErrorResponseBody, ErrorResponseParts } from "./types/errors.js";
export type { NitroRouteRulesMatch } from "./route-rules/index.js";
export type { NitroServerEntry, NitroServerEntryConfig, NitroServerEntryOption } from "./types/server-entry.js";
export type { NodeStyleApp } from "./app/node-apps.js";
