import type { Server as HTTPServer } from "node:http";
import { serve as srvxServe } from "srvx/node";
import { assertNitroApp } from "../../app/is-app.js";
import { handlerOf } from "../../server/serve.js";
import type { AddressInfo } from "node:net";
import type { NitroApp } from "../../types/app.js";
import { listenAddress, startServer } from "../../server/serve.js";
import type { ListenOptions } from "../../server/options.js";
import { drainWhenCutOff } from "./drain.js";
import { createNodeListener } from "./listener.js";
import { toNodeUpgradeHandler } from "./websocket.js";

/** Options of {@link serve}: where to listen, graceful shutdown, silence (the same on Node, Bun and Deno). */
export interface ServeOptions extends ListenOptions {}

/** A running server, as returned by {@link serve}. */
export interface NitroNodeServer {
  /** The `node:http` server underneath. */
  readonly node: HTTPServer;
  /** Resolves once the server listens. */
  ready(): Promise<NitroNodeServer>;
  /** The URL it listens on (after `ready()`), e.g. `http://127.0.0.1:3000/`. */
  readonly url: string | undefined;
  /** The port it listens on (after `ready()`). */
  readonly port: number | undefined;
  /**
   * Stops accepting connections, lets requests in flight finish (up to the graceful
   * timeout, then drops them), and closes the app. Idempotent.
   */
  close(): Promise<void>;
  /**
   * Serves the requests that arrive from now on with `next`, without closing the port or
   * any connection: requests already in flight finish on the app that took them. Returns
   * the app it replaced, which the caller closes once it is done with it; `close()` closes
   * the app serving at the time. The request body limit is the new app's. This is how `nitrokit dev` swaps in a reloaded app.
   */
  replaceApp(next: NitroApp): NitroApp;
}

/**
 * Serves the app over HTTP on Node.
 *
 * @example
 * import { serve } from "nitrokit/node";
 * const server = serve(app, { port: 3000 });
 * await server.ready();
 * console.log(`Listening on ${server.url}`);
 */
export function serve(app: NitroApp, options: ServeOptions = {}): NitroNodeServer {
  let current = app;
  assertNitroApp(app, "serve(app)");
  let handle = handlerOf(app);
  const { port, hostname } = listenAddress(options);

  // srvx builds the server (listening, TLS, waitUntil tracking for shutdown); requests go through
  // nitrokit's listener instead of srvx's, which writes in-memory bodies in one call (see listener.ts).
  // The body limit is the app's own (`handle` applies it), not srvx's option.
  const srvx = srvxServe({ fetch: (request) => handle(request), manual: true, silent: true, gracefulShutdown: false, port, hostname });
  const node = srvx.node!.server as HTTPServer;
  const listener = createNodeListener(() => handle, srvx.waitUntil);
  node.removeAllListeners("request");
  node.on("request", (req, res) => {
    drainWhenCutOff(req, res);
    listener(req, res);
  });
  let upgrade = toNodeUpgradeHandler(app);
  node.on("upgrade", (req, socket, head) => upgrade(req, socket, head));

  return startServer<NitroNodeServer>(
    {
      srvx,
      address() {
        const address = node.address() as AddressInfo | null;
        return address ? { hostname: address.address, port: address.port } : undefined;
      },
      websocketsReady: () => upgrade.ready(),
      beginStop() {
        // Requests that still arrive on a kept-alive socket are served, then the socket closes.
        node.prependListener("request", (_req, res) => res.setHeader("connection", "close"));
        // Kept-alive sockets turn idle as their requests finish: sweep them until the server is closed.
        node.closeIdleConnections();
        const sweeper = setInterval(() => node.closeIdleConnections(), 50);
        return () => clearInterval(sweeper);
      },
      forceStop: () => node.closeAllConnections(),
    },
    () => current,
    { ...options, port },
    {
      node,
      replaceApp(next) {
        const previous = current;
        assertNitroApp(next, "replaceApp(app)");
        handle = handlerOf(next);
        upgrade = toNodeUpgradeHandler(next);
        current = next;
        return previous;
      },
    },
  );
}
