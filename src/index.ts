/**
 * nitrokit: Nitro's server runtime as a library.
 * @module
 */
export { createNitroApp } from "./app.js";
export { definePlugin } from "./plugins.js";
export { useNitroApp, useEvent } from "./context.js";
export { defineNitroConfig } from "./config.js";
export { defineNitroErrorHandler } from "./error-handler.js";
export { $fetch } from "./ambient-fetch.js";
export { getRouteRules, type NitroRouteRule } from "./route-rules/index.js";
export type {
  HandlerResult,
  MountableApp,
  NitroApp,
  NitroAppPlugin,
  RouteHandlerInput,
  RouteMap,
  RouteMethod,
  WithRoute,
} from "./app-types.js";
export type {
  NitroConfig,
  NitroDatabaseConnection,
  NitroErrorHandler,
  NitroExperimentalConfig,
  NitroHandlerConfig,
  NitroRuntimeConfig,
  NitroStorageMount,
} from "./config.js";
export type { NitroHooks, NitroRuntimeHooks } from "./hooks.js";
export type { NitroWebSocketConfig, RedisWebSocketPubSub, WebSocketHooks, WebSocketPubSubConfig } from "./ws/types.js";
export type { NitroRedisTaskLockConfig, NitroScheduledTasksEntry, NitroSchedulerConfig, NitroTasksEndpointConfig } from "./tasks/config-types.js";
export type { ErrorResponseBody } from "./errors.js";
