/**
 * `nitrokit/context`: the request being served, as Nitro 3's `nitro/context`.
 * @module
 */
export { useRequest } from "./app/context.js";
