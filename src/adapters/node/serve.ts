import type { Server as HTTPServer } from "node:http";
import { serve as srvxServe } from "srvx/node";
import { appInternals } from "../../app.js";
import type { AddressInfo } from "node:net";
import type { NitroApp } from "../../app-types.js";
import { drainWhenCutOff } from "./drain.js";
import { closeOnSignal } from "./signals.js";
import { toNodeUpgradeHandler } from "./websocket.js";

/** Options of {@link serve}. */
export interface ServeOptions {
  /** Port to listen on. Default: `PORT` from the environment, else 3000. `0` picks a free port. */
  port?: number | string;
  /** Interface to bind. Default: `HOST` from the environment, else every interface. */
  hostname?: string;
  /**
   * Stop gracefully on SIGTERM/SIGINT: stop accepting, let requests in flight finish
   * (up to `timeout` ms, default 10 000), then `app.close()` and exit.
   * `false` leaves signals alone. Default: on.
   */
  gracefulShutdown?: boolean | { timeout?: number };
  /** Do not print the listening address. */
  silent?: boolean;
}

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
   * the app serving at the time. The request body limit stays the one `serve()` started
   * with. This is how `nitrokit dev` swaps in a reloaded app.
   */
  replaceApp(next: NitroApp): NitroApp;
}

const DEFAULT_SHUTDOWN_TIMEOUT = 10_000;

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
  const { maxRequestBodySize } = appInternals(app);
  let current = app;
  let handle = appInternals(app).handle;
  const timeout = typeof options.gracefulShutdown === "object" ? (options.gracefulShutdown.timeout ?? DEFAULT_SHUTDOWN_TIMEOUT) : DEFAULT_SHUTDOWN_TIMEOUT;
  const port = resolvePort(options.port);
  const hostname = options.hostname ?? process.env.HOST ?? undefined;
  let closePromise: Promise<void> | undefined;

  // srvx's server path writes each response without waiting on it (no promise per response,
  // unlike its toNodeHandler), and tracks waitUntil work so shutdown can let it finish.
  // Listening, signals and shutdown stay ours.
  const srvx = srvxServe({ fetch: (request) => handle(request), manual: true, silent: true, gracefulShutdown: false, maxRequestBodySize, port, hostname });
  const node = srvx.node!.server as HTTPServer;
  node.on("request", drainWhenCutOff);
  let upgrade = toNodeUpgradeHandler(app);
  node.on("upgrade", (req, socket, head) => upgrade(req, socket, head));

  const listening = Promise.resolve(srvx.serve()).then(() => undefined);

  const server: NitroNodeServer = {
    node,
    get url() {
      const address = node.address() as AddressInfo | null;
      if (!address) return undefined;
      const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
      return `http://${host === "[::]" || host === "0.0.0.0" ? "localhost" : host}:${address.port}/`;
    },
    get port() {
      return (node.address() as AddressInfo | null)?.port;
    },
    async ready() {
      await Promise.all([listening, upgrade.ready()]);
      return server;
    },
    close() {
      return (closePromise ??= shutdown());
    },
    replaceApp(next) {
      const previous = current;
      handle = appInternals(next).handle;
      upgrade = toNodeUpgradeHandler(next);
      current = next;
      return previous;
    },
  };

  async function shutdown(): Promise<void> {
    removeSignalHandlers();
    // Upgraded sockets count as open connections: close peers (1001) so the server can close.
    const peersClosed = appInternals(current).websockets.close();
    // Requests that still arrive on a kept-alive socket are served, then the socket closes.
    node.prependListener("request", (_req, res) => res.setHeader("connection", "close"));
    // Stops accepting, and waits for responses in flight and their waitUntil work.
    const closed = srvx.close().catch(() => undefined);
    // Kept-alive sockets turn idle as their requests finish: sweep them until the server is closed.
    node.closeIdleConnections();
    const sweeper = setInterval(() => node.closeIdleConnections(), 50);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        node.closeAllConnections();
        resolve();
      }, timeout);
    });
    await Promise.race([closed, timedOut]);
    clearInterval(sweeper);
    clearTimeout(timer);
    await peersClosed.catch(() => undefined);
    await current.close();
  }

  const removeSignalHandlers = options.gracefulShutdown === false ? () => {} : closeOnSignal(server, { silent: options.silent });

  listening.then(
    () => {
      if (!options.silent) console.log(`[nitrokit] Listening on ${server.url}`);
    },
    (error: NodeJS.ErrnoException) => {
      removeSignalHandlers();
      if (error.code === "EADDRINUSE") error.message = `[nitrokit] Port ${port} is already in use (try another with { port } or PORT). ${error.message}`;
      if (!options.silent) console.error(error.message);
    },
  );
  return server;
}

function resolvePort(port: number | string | undefined): number {
  const value = port ?? process.env.PORT ?? 3000;
  const parsed = typeof value === "number" ? value : Number.parseInt(value, 10);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
    throw new RangeError(`[nitrokit] serve(): invalid port ${JSON.stringify(value)}.`);
  }
  return parsed;
}
