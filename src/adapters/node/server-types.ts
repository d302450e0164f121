/**
 * The types of `serve()` on Node, with and without `workers`: the single-process server and
 * the cluster refer to each other's, so they live here rather than in either module.
 */
import type { Server as HTTPServer } from "node:http";
import type { Server as HTTPSServer } from "node:https";
import type { Http2SecureServer } from "node:http2";
import type { NitroApp } from "../../types/app.js";
import type { ListenOptions } from "../../server/options.js";
import type { HTTPSOptions } from "./server-options.js";

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

/** The cluster option of `serve()` on Node. */
export interface ClusterOptions {
  /**
   * Run this many worker processes behind one port (`node:cluster`), or `"auto"`:
   * `NITRO_CLUSTER_WORKERS` from the environment, else one per core. The module that
   * calls `serve()` runs in the primary and in every worker: each worker has its own
   * app, memory and in-memory cache; storage, cache, locks and WebSocket pub/sub are
   * shared only through a shared driver (Redis), as between machines. Without a
   * configured relay the primary relays WebSocket publishes between workers, and
   * scheduled tasks run once per tick on one worker. `gracefulShutdown: false` leaves the
   * primary's signals to you (call `close()`); workers always drain when the primary asks.
   *
   * @example
   * const server = serve(app, { port: 3000, workers: "auto" });
   * await server.ready();
   * if (server.role === "primary") console.log(`${server.workerPids.length} workers on ${server.url}`);
   */
  workers?: number | "auto";
}

/**
 * What `serve(app, { workers })` returns, in the primary and in each worker (the same
 * module runs in both: `role` says which).
 *
 * @example
 * const server = serve(app, { workers: 2 });
 * await server.ready();
 * if (server.role === "primary") process.on("SIGUSR2", () => void server.close());
 */
export interface NitroClusterServer {
  /** `"primary"` in the process that forks the workers (it serves nothing itself), `"worker"` in each worker. */
  readonly role: "primary" | "worker";
  /** The URL the workers listen on (after `ready()`). */
  readonly url: string | undefined;
  /** The port the workers listen on (after `ready()`). */
  readonly port: number | undefined;
  /** In the primary, the pids of the workers serving now; in a worker, its own. */
  readonly workerPids: readonly number[];
  /** In a worker, its own server; in the primary, `undefined`. */
  readonly server: NitroNodeServer | undefined;
  /** In the primary, resolves once every worker listens (rejects when one fails to start); in a worker, once it listens. */
  ready(): Promise<NitroClusterServer>;
  /**
   * In the primary: asks every worker to drain (as on SIGTERM) and resolves once all exited
   * (rejects when one did not exit cleanly). In a worker: closes this worker's server.
   */
  close(): Promise<void>;
}
