/**
 * `serve(app, { workers })`: the same script runs as the primary, which forks the
 * workers and serves nothing itself, and as each worker, which serves the app on the
 * primary's shared port (see src/server/cluster/).
 */
import { availableParallelism } from "node:os";
import type { NitroApp } from "../../types/app.js";
import { gracefulShutdownEnabled, resolvePort, shutdownTimeout } from "../../server/options.js";
import { closeOnSignal, handleSignalsAsClusterWorker, shutdownAsIfSignalled } from "../../server/signals.js";
import { startClusterPrimary, type ClusterLog } from "../../server/cluster/primary.js";
import { clusterWorker, type ClusterWorkerChannel } from "../../server/cluster/worker.js";
import type { NitroClusterServer, NitroNodeServer, ServeOptions } from "./server-types.js";
import { resolveSocket, resolveTLS } from "./server-options.js";

export type { ClusterOptions, NitroClusterServer } from "./server-types.js";

/** How many workers `workers` asks for: a whole number ≥ 1, or `"auto"` (`NITRO_CLUSTER_WORKERS`, else one per core). */
export function resolveWorkerCount(workers: number | string): number {
  if (workers === "auto") {
    const fromEnv = process.env.NITRO_CLUSTER_WORKERS;
    return fromEnv ? parseCount(fromEnv, "NITRO_CLUSTER_WORKERS") : availableParallelism();
  }
  return parseCount(workers, "workers");
}

function parseCount(value: number | string, name: string): number {
  const count = typeof value === "number" ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`[nitrokit] ${name} must be a whole number of workers (at least 1) or "auto", got ${JSON.stringify(value)}.`);
  return count;
}

/** The primary's lines: plain, on stderr for trouble. */
const consoleLog: ClusterLog = {
  info: (message) => console.log(`[nitrokit] ${message}`),
  warn: (message) => console.error(`[nitrokit] ${message}`),
};

/**
 * A cluster worker's side of `serve()`: tells the primary once the app is ready and
 * the server listens, and stops gracefully when the primary asks (as on SIGTERM).
 */
export function reportToPrimary(server: NitroNodeServer, app: NitroApp, worker: ClusterWorkerChannel): void {
  handleSignalsAsClusterWorker();
  worker.onMessage((message) => {
    if (message.type === "shutdown") shutdownAsIfSignalled();
  });
  Promise.all([app.ready(), server.ready()]).then(
    () => worker.send({ type: "listening", url: server.url ?? "", port: server.port }).catch(() => {}),
    // The caller reports the failure (serve() below, or the CLI with its own message).
    () => {},
  );
}

export function serveCluster(app: NitroApp, options: ServeOptions, serveOneProcess: (app: NitroApp, options: ServeOptions) => NitroNodeServer): NitroClusterServer {
  const worker = clusterWorker();
  if (worker) return serveAsWorker(app, options, worker, serveOneProcess);

  // Bad options fail here, once, rather than in every worker.
  const count = resolveWorkerCount(options.workers!);
  resolvePort(options.port);
  resolveSocket(options.socket);
  const tls = resolveTLS(options.https);
  if (options.http2 && !tls) throw new TypeError("[nitrokit] serve(): `http2: true` needs `https: { cert, key }` (browsers speak HTTP/2 over TLS only).");
  // The primary serves nothing: its copy of the app is closed, so a schedule or connection the module started here stops.
  void app.close().catch(() => {});

  const primary = startClusterPrimary({ workers: count, shutdownTimeout: shutdownTimeout(options.gracefulShutdown), log: consoleLog });
  let closePromise: Promise<void> | undefined;
  const server: NitroClusterServer = {
    role: "primary",
    get url() {
      return primary.url;
    },
    get port() {
      return primary.port;
    },
    get workerPids() {
      return primary.workerPids;
    },
    server: undefined,
    ready: () => primary.ready().then(() => server),
    close: () => (closePromise ??= (removeSignalHandlers(), primary.close())),
  };
  const removeSignalHandlers = gracefulShutdownEnabled(options.gracefulShutdown) ? closeOnSignal(server, { silent: options.silent }) : () => {};
  primary.ready().then(
    () => {
      if (!options.silent) consoleLog.info(`Listening on ${primary.url} (${count} worker${count === 1 ? "" : "s"})`);
    },
    (error: Error & { exitCode?: number }) => {
      removeSignalHandlers();
      if (!options.silent) console.error(error.message);
      process.exitCode = error.exitCode ?? 1;
    },
  );
  return server;
}

function serveAsWorker(
  app: NitroApp,
  options: ServeOptions,
  worker: ClusterWorkerChannel,
  serveOneProcess: (app: NitroApp, options: ServeOptions) => NitroNodeServer,
): NitroClusterServer {
  // The primary prints the address once for all. A worker always drains when the primary asks
  // (`gracefulShutdown: false` leaves the primary's signals to the caller, not the workers').
  const gracefulShutdown = options.gracefulShutdown === false ? true : options.gracefulShutdown;
  const own = serveOneProcess(app, { ...options, workers: undefined, silent: true, gracefulShutdown });
  // A worker that cannot start (its app's ready() threw, the port is taken) tells the primary why, and exits.
  Promise.all([app.ready(), own.ready()]).catch(async (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    await worker.send({ type: "failed", message, exitCode: 1 }).catch(() => {});
    process.exit(1);
  });
  const server: NitroClusterServer = {
    role: "worker",
    get url() {
      return own.url;
    },
    get port() {
      return own.port;
    },
    workerPids: [process.pid],
    server: own,
    ready: () => own.ready().then(() => server),
    close: () => own.close(),
  };
  return server;
}
