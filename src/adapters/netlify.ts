/**
 * `nitrokit/netlify`: the app as a Netlify Function (v2) or Edge Function,
 * `export default toNetlifyHandler(app)`, with Netlify's `context.waitUntil` carrying
 * background work.
 * @module
 */
export { toNetlifyHandler } from "./netlify/handler.js";
export type { NetlifyContext, NetlifyHandler } from "./netlify/handler.js";
