/**
 * `nitrokit/runtime-config`: the runtime config of the app serving the request, as Nitro 3's `nitro/runtime-config`.
 * @module
 */
export { useRuntimeConfig } from "./config/runtime-config.js";
export type { NitroRuntimeConfig } from "./types/app.js";
