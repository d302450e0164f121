/**
 * `nitrokit/config`: typed config modules, as `nitro/config`.
 * @module
 */
export { defineConfig, defineNitroConfig } from "./config/define.js";
export type { NitroConfig, NitroRuntimeConfig, NitroErrorHandler, NitroHandlerConfig } from "./types/app.js";
