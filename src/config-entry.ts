/**
 * `nitrokit/config`: typed config modules, as `nitro/config`.
 * @module
 */
export { defineConfig, defineNitroConfig } from "./types/config.js";
export type { NitroConfig, NitroRuntimeConfig, NitroErrorHandler, NitroHandlerConfig } from "./types/config.js";
