import { resolveWorkerCount } from "../adapters/node/cluster.js";
import { startClusterPrimary } from "../server/cluster/primary.js";
import { configuredPort, isValidPort, shutdownTimeout } from "../server/options.js";
import { printBanner, serverUrls } from "./banner.js";
import { CliError, EXIT_USAGE } from "./errors.js";
import { closeOnSignals, trustProxyFromArgs, type ListenOptions } from "./listen.js";
import { displayPath } from "./load-app.js";
import * as log from "./log.js";

/** The worker count `--workers` asks for (else `NITRO_CLUSTER_WORKERS`), or `undefined` for one process. */
export function workersFromArgs(flag: string | undefined): number | undefined {
  const value = flag ?? (process.env.NITRO_CLUSTER_WORKERS || undefined);
  if (value === undefined) return undefined;
  try {
    return resolveWorkerCount(value.trim());
  } catch {
    const source = flag === undefined ? "NITRO_CLUSTER_WORKERS" : "--workers";
    throw new CliError(`Invalid ${source} ${JSON.stringify(value)}: expected a number of workers (1 or more) or "auto".`, { exitCode: EXIT_USAGE });
  }
}

/**
 * `nitrokit serve --workers N`: this process becomes the cluster's primary. It forks N
 * workers running the same command line (each loads the app and listens on the shared
 * port), prints the banner once they all listen, and drains them on SIGTERM/SIGINT.
 * A worker that fails to start fails the command with that worker's message.
 */
export async function serveClusterPrimary(options: { workers: number; entry: string; args: ListenOptions; started: number }): Promise<void> {
  // Bad options fail here, once, rather than in every worker.
  trustProxyFromArgs(options.args["trust-proxy"]);
  const port = configuredPort(options.args.port);
  if (!isValidPort(port)) {
    throw new CliError(`Invalid port ${JSON.stringify(String(port))}: expected a number from 0 to 65535.`, { exitCode: EXIT_USAGE });
  }
  const primary = startClusterPrimary({ workers: options.workers, shutdownTimeout: shutdownTimeout(undefined), log });
  try {
    await primary.ready();
  } catch (error) {
    const failure = error as Error & { exitCode?: number };
    throw new CliError(failure.message, { exitCode: failure.exitCode, cause: error });
  }
  closeOnSignals(() => primary.close());
  const took = Math.round(performance.now() - options.started);
  const urls = serverUrls(primary, options.args.host || process.env.HOST);
  printBanner({ mode: "serve", entry: displayPath(options.entry), urls, took, workers: options.workers });
}
