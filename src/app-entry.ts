/**
 * `nitrokit/app`: the current app, its route rules and in-process fetch, as Nitro 3's `nitro/app`.
 * @module
 */
export { useNitroApp, useNitroHooks } from "./app/context.js";
export { serverFetch, fetch } from "./fetch/server-fetch.js";
export { getRouteRules } from "./route-rules/index.js";
