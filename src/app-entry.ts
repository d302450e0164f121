/**
 * `nitrokit/app`: the current app, its route rules and in-process fetch, as Nitro 3's `nitro/app`.
 * @module
 */
export { useNitroApp, useNitroHooks } from "./context.js";
export { serverFetch, fetch } from "./server-fetch.js";
export { getRouteRules } from "./route-rules/index.js";
