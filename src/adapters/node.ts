/**
 * `nitrokit/node`: serve an app with `node:http`, or embed it in an existing
 * Node server or Express app.
 * @module
 */
export { serve, type NitroNodeServer, type NodeServerInstance, type ServeOptions } from "./node/serve.js";
export { type ClusterOptions, type NitroClusterServer } from "./node/cluster.js";
export { type HTTPSOptions } from "./node/server-options.js";
export { toNodeHandler, toNodeMiddleware, type NodeHandler, type NodeMiddleware } from "./node/handler.js";
export { toNodeUpgradeHandler, type NodeUpgradeHandler } from "./node/websocket.js";
export { serveStatic, type ServeStaticOptions } from "./node/static.js";
export { prerender } from "./node/prerender-entry.js";
export type { PrerenderOptions, PrerenderedRoute } from "./node/prerender.js";
