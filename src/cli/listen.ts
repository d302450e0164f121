import { isIP } from "node:net";
import { serve, type NitroNodeServer } from "../adapters/node.js";
import type { NitroApp } from "../types/app.js";
import { configuredPort, isPortInUse, isValidPort, resolveHostname } from "../server/options.js";
import { closeOnSignal } from "../server/signals.js";
import { CliError, EXIT_USAGE } from "./errors.js";
import { nextFreePort } from "./free-port.js";
import * as log from "./log.js";

/** Where to listen, from `--port`/`--host`; unset values fall back to `PORT`/`HOST` (or `NITRO_PORT`/`NITRO_HOST`), then 3000 and every interface. */
export interface ListenOptions {
  port?: string;
  host?: string;
  /** `--trust-proxy`: `true`, `loopback`, or a comma-separated list of proxy addresses. */
  "trust-proxy"?: string | boolean;
}

/** `--trust-proxy` as serve()'s `trustProxy`: a bare flag or `true` trusts every hop, `loopback` a local proxy, else a list of addresses. */
export function trustProxyFromArgs(value: string | boolean | undefined): boolean | "loopback" | string[] {
  if (value === undefined || value === false || value === "false") return false;
  if (value === true || value === "" || value === "true") return true;
  if (value === "loopback") return "loopback";
  const addresses = value.split(",").map((address) => address.trim()).filter(Boolean);
  if (addresses.length === 0 || addresses.some((address) => !isIP(address))) {
    throw new CliError(`Invalid --trust-proxy ${JSON.stringify(value)}: expected true, loopback, or proxy IP addresses separated by commas.`, { exitCode: EXIT_USAGE });
  }
  return addresses;
}

/**
 * Serves `app` with the Node adapter and waits until it listens. Signals are the
 * command's (see {@link closeOnSignals}). A port in use is a {@link CliError} that
 * names the next free port.
 */
export async function listen(app: NitroApp, options: ListenOptions): Promise<NitroNodeServer> {
  // The same reading of options and environment as `serve()`; a bad port is a usage error here.
  const hostname = resolveHostname(options.host);
  const port = configuredPort(options.port);
  if (!isValidPort(port)) {
    throw new CliError(`Invalid port ${JSON.stringify(String(port))}: expected a number from 0 to 65535.`, { exitCode: EXIT_USAGE });
  }
  const trustProxy = trustProxyFromArgs(options["trust-proxy"]);
  const server = serve(app, { port, hostname, silent: true, gracefulShutdown: false, trustProxy });
  try {
    await server.ready();
  } catch (error) {
    throw await listenError(error as NodeJS.ErrnoException, Number(port), hostname);
  }
  return server;
}

async function listenError(error: NodeJS.ErrnoException, port: number, hostname: string | undefined): Promise<Error> {
  const where = hostname ? `${hostname}:${port}` : `port ${port}`;
  if (isPortInUse(error)) {
    const free = await nextFreePort(port, hostname);
    return new CliError(`Port ${port} is already in use${hostname ? ` on ${hostname}` : ""}.`, {
      hint: free ? `Port ${free} is free: try --port ${free} (or PORT=${free}).` : "Pick another port with --port or PORT.",
      cause: error,
    });
  }
  if (error.code === "EACCES") return new CliError(`Not allowed to listen on ${where} (ports below 1024 need privileges).`, { cause: error });
  if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND") {
    return new CliError(`Cannot listen on host ${hostname}: no such local address.`, { exitCode: EXIT_USAGE, cause: error });
  }
  return error;
}

/**
 * On SIGTERM/SIGINT: log, run `close` (the adapter's graceful close: stop accepting,
 * finish requests in flight, close the app), exit 0 (1 if it failed). A second signal
 * exits at once. The process's one signal handler (server/signals.ts), with the CLI's log.
 */
export function closeOnSignals(close: () => Promise<void>): void {
  closeOnSignal({ close }, { log });
}
