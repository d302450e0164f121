/**
 * `nitrokit/config`: typed config modules, as `nitro/config`.
 * @module
 */
export { defineConfig, defineNitroConfig } from "./config.js";
export type { NitroConfig, NitroRuntimeConfig, NitroErrorHandler, NitroHandlerConfig } from "./config.js";
