import type { Server as HTTPServer } from "node:http";
import type { Server as HTTPSServer } from "node:https";
import type { Http2SecureServer } from "node:http2";
import type { AddressInfo } from "node:net";
import { serve as srvxServe } from "srvx/node";
import { appInternals } from "../../app/nitro-app.js";
import type { NitroApp } from "../../types/app.js";
import { listenAddress, startServer } from "../../server/serve.js";
import type { ListenOptions } from "../../server/options.js";
import { clusterWorker } from "../../cluster/worker.js";
import { drainWhenCutOff } from "./drain.js";
import { trackHttp2Connections } from "./http2-drain.js";
import { toNodeUpgradeHandler } from "./websocket.js";
import { reportToPrimary, serveCluster, type ClusterOptions, type NitroClusterServer } from "./cluster.js";
import { resolveTLS, resolveSocket, type HTTPSOptions } from "./server-options.js";

/** The server `serve()` runs on Node: `node:http`, `node:https` with `https`, `node:http2` with `http2`. */
export type NodeServerInstance = HTTPServer | HTTPSServer | Http2SecureServer;

/** Options of {@link serve}: where to listen, graceful shutdown, silence (the same on Node, Bun and Deno), and Node's own. */
export interface ServeOptions extends ListenOptions, ClusterOptions {
  /**
   * Serve over TLS with this certificate and key (PEM text, or paths to PEM files).
   * Default: `NITRO_SSL_CERT` and `NITRO_SSL_KEY` from the environment (PEM text, Nitro's
   * names) when both are set. Usually TLS ends at a proxy in front: this is for the rest.
   */
  https?: HTTPSOptions;
  /**
   * Serve HTTP/2 (over TLS: needs `https`). Clients that do not offer `h2` through ALPN
   * get HTTP/1.1 on the same port, WebSockets included.
   * @default false
   */
  http2?: boolean;
  /**
   * Listen on this Unix socket path instead of a port (a proxy on the same machine connects
   * to it). Default: `NITRO_UNIX_SOCKET` from the environment.
   */
  socket?: string;
}

/** A running server, as returned by {@link serve}. */
export interface NitroNodeServer {
  /** The Node server underneath: `node:http`'s, `node:https`' with `https`, `node:http2`'s with `http2`. */
  readonly node: NodeServerInstance;
  /** Resolves once the server listens. */
  ready(): Promise<NitroNodeServer>;
  /** The URL it listens on (after `ready()`), e.g. `http://127.0.0.1:3000/`; `unix:<path>` on a socket. */
  readonly url: string | undefined;
  /** The port it listens on (after `ready()`); `undefined` on a Unix socket. */
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
 * Serves the app over HTTP on Node; with `workers`, on every core (see {@link NitroClusterServer}).
 *
 * @example
 * import { serve } from "nitrokit/node";
 * const server = serve(app, { port: 3000 });
 * await server.ready();
 * console.log(`Listening on ${server.url}`);
 */
export function serve(app: NitroApp, options: ServeOptions & { workers: number | "auto" }): NitroClusterServer;
export function serve(app: NitroApp, options?: ServeOptions & { workers?: undefined }): NitroNodeServer;
export function serve(app: NitroApp, options?: ServeOptions): NitroNodeServer | NitroClusterServer;
export function serve(app: NitroApp, options: ServeOptions = {}): NitroNodeServer | NitroClusterServer {
  if (options.workers !== undefined) return serveCluster(app, options, serveOneProcess);
  return serveOneProcess(app, options);
}

/** srvx's Node server; a certificate or key that Node's TLS cannot use fails with a message saying which option it came from. */
function createSrvx(options: Parameters<typeof srvxServe>[0]): ReturnType<typeof srvxServe> {
  try {
    return srvxServe(options);
  } catch (error) {
    if (!options.tls) throw error;
    throw new TypeError(`[nitrokit] serve(): the HTTPS certificate or key (https, or NITRO_SSL_CERT/NITRO_SSL_KEY) is not usable: ${(error as Error).message}`, { cause: error });
  }
}

/** One process's server: the whole of `serve()` without `workers`, and each worker's server in a cluster. */
function serveOneProcess(app: NitroApp, options: ServeOptions): NitroNodeServer {
  let current = app;
  let handle = appInternals(app).handle;
  const { port, hostname } = listenAddress(options);
  const socket = resolveSocket(options.socket);
  const tls = resolveTLS(options.https);
  if (options.http2 && !tls) throw new TypeError("[nitrokit] serve(): `http2: true` needs `https: { cert, key }` (browsers speak HTTP/2 over TLS only).");
  // A cluster's workers listen on the primary's handle; on their own (exclusive) they would collide.
  const worker = clusterWorker();

  // srvx's server path writes each response without waiting on it (no promise per response,
  // unlike its toNodeHandler), and tracks waitUntil work so shutdown can let it finish.
  // The body limit is the app's own (`handle` applies it), not srvx's option.
  const srvx = createSrvx({
    fetch: (request) => handle(request),
    manual: true,
    silent: true,
    gracefulShutdown: false,
    port,
    hostname,
    trustProxy: options.trustProxy,
    tls,
    node: { http2: options.http2 === true, ...(socket === undefined ? {} : { path: socket }), ...(worker ? { exclusive: false } : {}) },
  });
  const node = srvx.node!.server as NodeServerInstance;
  const http2 = options.http2 === true;
  // HTTP/2's server has no closeIdleConnections()/closeAllConnections(): its connections are tracked instead.
  const http2Drain = http2 ? trackHttp2Connections(node as Http2SecureServer) : undefined;
  node.on("request", drainWhenCutOff);
  let upgrade = toNodeUpgradeHandler(app);
  node.on("upgrade", (req, socket, head) => upgrade(req, socket, head));

  const server = startServer<NitroNodeServer>(
    {
      srvx,
      address() {
        const address = node.address() as AddressInfo | string | null;
        if (typeof address === "string") return { hostname: "", port: 0, socket: address };
        return address ? { hostname: address.address, port: address.port, secure: tls !== undefined } : undefined;
      },
      websocketsReady: () => upgrade.ready(),
      beginStop() {
        if (http2Drain) return http2Drain.begin();
        const http = node as HTTPServer;
        // Requests that still arrive on a kept-alive socket are served, then the socket closes.
        http.prependListener("request", (_req, res) => res.setHeader("connection", "close"));
        // Kept-alive sockets turn idle as their requests finish: sweep them until the server is closed.
        http.closeIdleConnections();
        const sweeper = setInterval(() => http.closeIdleConnections(), 50);
        return () => clearInterval(sweeper);
      },
      forceStop: () => {
        if (http2Drain) http2Drain.destroyAll();
        else (node as HTTPServer).closeAllConnections();
      },
    },
    () => current,
    { ...options, port, socket },
    {
      node,
      replaceApp(next) {
        const previous = current;
        handle = appInternals(next).handle;
        upgrade = toNodeUpgradeHandler(next);
        current = next;
        return previous;
      },
    },
  );
  if (worker) reportToPrimary(server, app, worker);
  return server;
}
