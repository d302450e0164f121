import type { IncomingMessage, Server as HTTPServer, ServerResponse } from "node:http";
import type { Http2SecureServer } from "node:http2";
import type { AddressInfo } from "node:net";
import { serve as srvxServe } from "srvx/node";
import { assertNitroApp } from "../../app/is-app.js";
import type { NitroApp } from "../../types/app.js";
import { handlerOf, srvxBaseOptions, startServer } from "../../server/serve.js";
import { clusterWorker } from "../../server/cluster/worker.js";
import { drainWhenCutOff } from "./drain.js";
import { createNodeListener } from "./listener.js";
import { trackHttp2Connections } from "./http2-drain.js";
import { toNodeUpgradeHandler } from "./websocket.js";
import { reportToPrimary, serveCluster } from "./cluster.js";
import type { NitroClusterServer, NitroNodeServer, NodeServerInstance, ServeOptions } from "./server-types.js";
import { resolveTLS, resolveSocket } from "./server-options.js";

export type { ClusterOptions, NitroClusterServer, NitroNodeServer, NodeServerInstance, ServeOptions } from "./server-types.js";

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
  assertNitroApp(app, "serve(app)");
  let handle = handlerOf(app);
  const base = srvxBaseOptions(options);
  const socket = resolveSocket(options.socket);
  const tls = resolveTLS(options.https);
  if (options.http2 && !tls) throw new TypeError("[nitrokit] serve(): `http2: true` needs `https: { cert, key }` (browsers speak HTTP/2 over TLS only).");
  // A cluster's workers listen on the primary's handle; on their own (exclusive) they would collide.
  const worker = clusterWorker();

  // srvx builds the server (listening, TLS, HTTP/2, waitUntil tracking for shutdown). The body
  // limit is the app's own (`handle` applies it), not srvx's option.
  const srvx = createSrvx({
    ...base,
    fetch: (request) => handle(request),
    tls,
    node: { http2: options.http2 === true, ...(socket === undefined ? {} : { path: socket }), ...(worker ? { exclusive: false } : {}) },
  });
  const node = srvx.node!.server as NodeServerInstance;
  // Requests go through nitrokit's listener instead of srvx's, which writes in-memory bodies in one call (see listener.ts).
  // srvx's listener is removed before anything else listens: the HTTP/2 drain below counts requests with a listener of its own.
  const listener = createNodeListener(() => handle, { waitUntil: srvx.waitUntil, trustProxy: options.trustProxy });
  node.removeAllListeners("request");
  const http2 = options.http2 === true;
  // HTTP/2's server has no closeIdleConnections()/closeAllConnections(): its connections are tracked instead.
  const http2Drain = http2 ? trackHttp2Connections(node as Http2SecureServer) : undefined;
  node.on("request", (req: IncomingMessage, res: ServerResponse) => {
    drainWhenCutOff(req, res);
    listener(req, res);
  });
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
    { ...options, port: base.port, socket },
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
  if (worker) reportToPrimary(server, app, worker);
  return server;
}
