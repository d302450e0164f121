import type { IncomingMessage, ServerResponse } from "node:http";
import { assertNitroApp } from "../../app/is-app.js";
import { drainWhenCutOff } from "./drain.js";
import { createNodeListener } from "./listener.js";
import { handlerOf } from "../../server/serve.js";
import type { NitroApp } from "../../types/app.js";

/** A `node:http` request listener. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** A Connect/Express middleware. */
export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * The app as a `node:http` request listener, for `http.createServer(handler)` or any
 * server that speaks `(req, res)`. Handlers reach the raw objects as
 * `event.runtime.node.req/res` (or h3 v1's `event.node.req/res`).
 *
 * @example
 * import http from "node:http";
 * import { toNodeHandler } from "nitrokit/node";
 * http.createServer(toNodeHandler(app)).listen(3000);
 */
export function toNodeHandler(app: NitroApp): NodeHandler {
  assertNitroApp(app, "toNodeHandler(app)");
  // srvx's lazy Request over req/res; the app applies its body limit (see `~serve`).
  const serve = handlerOf(app);
  const listener = createNodeListener(() => serve);
  return (req, res) => {
    drainWhenCutOff(req, res);
    listener(req, res);
  };
}

/**
 * The app as Connect/Express middleware: requests for paths the app has routes for
 * (or, with a `serverEntry`, every path) are served, everything else goes on to `next()`. Mount it before body parsers
 * (`express.json()` consumes the body the app would read).
 *
 * @example
 * import express from "express";
 * import { toNodeMiddleware } from "nitrokit/node";
 * const server = express();
 * server.use(toNodeMiddleware(app));
 * server.get("/legacy", (req, res) => res.send("still Express"));
 */
export function toNodeMiddleware(app: NitroApp): NodeMiddleware {
  const handler = toNodeHandler(app);
  const routes = app["~registry"];
  return (req, res, next) => {
    if (!routes.owns(pathnameOf(req.url))) return next();
    Promise.resolve(handler(req, res)).catch(next);
  };
}

/** The request path as h3 routes it: query dropped, needless escapes of unreserved characters decoded. */
function pathnameOf(url: string | undefined): string {
  if (!url) return "/";
  const end = url.search(/[?#]/);
  const path = end === -1 ? url : url.slice(0, end);
  return path.includes("%") ? path.replace(/%([0-9A-Fa-f]{2})/g, decodeUnreserved) : path;
}

function decodeUnreserved(escape: string, hex: string): string {
  const char = String.fromCharCode(Number.parseInt(hex, 16));
  return /[A-Za-z0-9\-._~]/.test(char) ? char : escape;
}
