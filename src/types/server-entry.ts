import type { EventHandler, FetchableObject, H3 } from "h3";
import type { NodeStyleApp } from "../app/node-apps.js";

/**
 * What serves as the server entry (Nitro's `server.ts`): an h3 handler (`defineHandler`),
 * an H3 or Hono app (any object with `fetch()`), or a Node.js-style app (Express,
 * Connect, `fastify.routing`).
 *
 * @example
 * // server.ts, registered with createNitroApp({ serverEntry: "./server.ts" })
 * import { defineHandler } from "nitrokit/h3";
 * export default defineHandler((event) => {
 *   if (event.url.pathname === "/health") return "OK";
 *   // nothing returned: the request goes on to the 404
 * });
 */
export type NitroServerEntry = EventHandler | H3 | FetchableObject | NodeStyleApp;

/**
 * Nitro's object form of `serverEntry`.
 *
 * @example
 * createNitroApp({ serverEntry: { handler: "./server.node.ts", format: "node" } });
 */
export interface NitroServerEntryConfig {
  handler: NitroServerEntry | string;
  /** `"node"` for a `(req, res)` handler; by default a path ending in `.node.<ext>` is one, and functions are told by their shape. */
  format?: "web" | "node";
}

/** The `serverEntry` config value: an entry, a module path (default export), Nitro's object form, or `false` for none. */
export type NitroServerEntryOption = NitroServerEntry | string | NitroServerEntryConfig | false;
