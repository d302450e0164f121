/**
 * `nitrokit/app`: the current app and in-process fetch, as Nitro 3's `nitro/app`.
 * @module
 */
export { useNitroApp, useNitroHooks } from "./context.js";
export { serverFetch, fetch } from "./server-fetch.js";
