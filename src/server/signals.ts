/**
 * Signal handling, once for the process: one SIGTERM/SIGINT listener for every server
 * `serve()` starts with graceful shutdown (and for the CLI's commands), so that several
 * servers in one process all finish their requests before the process exits (each with
 * its own listener, the first to finish would exit under the others).
 * Bun and Deno provide `process` too, so this works on all three runtimes.
 */

interface Closable {
  close(): Promise<void>;
}

/** Where the signal lines go: the CLI passes its own log; `serve()` prints plain lines. */
export interface SignalLog {
  info(message: string): void;
  warn(message: string): void;
}

const consoleLog: SignalLog = {
  info: (message) => console.log(`[nitrokit] ${message}`),
  warn: (message) => console.error(`[nitrokit] ${message}`),
};

const servers = new Set<Closable>();
let shuttingDown = false;
/** Stays true only while every registered server asked for silence. */
let quiet = true;
let log: SignalLog = consoleLog;

/**
 * Closes `server` on SIGTERM/SIGINT, then exits (0, or 1 if a close failed) unless
 * someone else listens for the signal. Returns the function that stops doing so.
 * A server whose `close()` calls that function hands the signals back at once, so a
 * second Ctrl+C during a slow shutdown kills the process; one that stays registered
 * gets "exiting without waiting" and exit code 1 on the second signal.
 */
export function closeOnSignal(server: Closable, options: { silent?: boolean; log?: SignalLog } = {}): () => void {
  servers.add(server);
  if (servers.size === 1) {
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  }
  if (!options.silent) quiet = false;
  if (options.log) log = options.log;
  return () => {
    servers.delete(server);
    if (servers.size === 0) removeListeners();
  };
}

function onSignal(signal: NodeJS.Signals): void {
  if (shuttingDown) {
    log.warn(`${signal} again: exiting without waiting.`);
    process.exit(1);
  }
  shuttingDown = true;
  if (!quiet) log.info(`${signal} received: finishing requests in flight, then closing.`);
  Promise.allSettled([...servers].map((server) => server.close())).then((results) => {
    const failures = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
    for (const failure of failures) log.warn(`Shutdown failed: ${failure.reason instanceof Error ? failure.reason.message : String(failure.reason)}`);
    removeListeners();
    // Exit unless someone else listens for the signal and will decide when.
    if (process.listenerCount(signal) === 0) process.exit(failures.length > 0 ? 1 : 0);
    shuttingDown = false;
  });
}

function removeListeners(): void {
  servers.clear();
  process.off("SIGTERM", onSignal);
  process.off("SIGINT", onSignal);
}
