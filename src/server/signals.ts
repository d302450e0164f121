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
/** A signal arrived during this shutdown (a second one exits at once; a shutdown the cluster primary asked for does not count). */
let signalled = false;
/** Stays true only while every registered server asked for silence. */
let quiet = true;
let log: SignalLog = consoleLog;
/** In a cluster worker the listeners stay for the process's whole life (see {@link handleSignalsAsClusterWorker}). */
let workerMode = false;

/**
 * Closes `server` on SIGTERM/SIGINT, then exits (0, or 1 if a close failed) unless
 * someone else listens for the signal. Returns the function that stops doing so.
 * A server whose `close()` calls that function hands the signals back at once, so a
 * second Ctrl+C during a slow shutdown kills the process; one that stays registered
 * gets "exiting without waiting" and exit code 1 on the second signal.
 */
export function closeOnSignal(server: Closable, options: { silent?: boolean; log?: SignalLog } = {}): () => void {
  servers.add(server);
  if (servers.size === 1 && !workerMode) {
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
  if (signalled) {
    log.warn(`${signal} again: exiting without waiting.`);
    process.exit(1);
  }
  signalled = true;
  // Ctrl+C reaches a cluster's workers and its primary, which asks them to stop too: one shutdown.
  if (shuttingDown) return;
  if (!quiet) log.info(`${signal} received: finishing requests in flight, then closing.`);
  closeAll(signal);
}

/**
 * Stops every registered server as SIGTERM would (then exits), for a cluster worker whose
 * primary asks it to stop. Without any registered server (the app handles signals itself),
 * the process gets a real SIGTERM.
 */
export function shutdownAsIfSignalled(): void {
  handleSignalsAsClusterWorker();
  if (shuttingDown) return;
  if (servers.size === 0) {
    process.kill(process.pid, "SIGTERM");
    return;
  }
  closeAll("SIGTERM");
}

/**
 * Keeps this process's signal listeners for its whole life. A cluster worker needs that: its
 * primary asks it to stop when the primary gets a signal, and Ctrl+C sends the same signal to the
 * worker as well, maybe after the worker already started closing (which, in a single process,
 * hands the signals back). That signal must not kill the worker mid-drain; a second one still does.
 */
export function handleSignalsAsClusterWorker(): void {
  if (workerMode) return;
  workerMode = true;
  if (servers.size > 0) return; // the listeners are on already
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

function closeAll(signal: NodeJS.Signals): void {
  shuttingDown = true;
  Promise.allSettled([...servers].map((server) => server.close())).then((results) => {
    const failures = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
    for (const failure of failures) log.warn(`Shutdown failed: ${failure.reason instanceof Error ? failure.reason.message : String(failure.reason)}`);
    removeListeners();
    // Exit unless someone else listens for the signal and will decide when.
    if (process.listeners(signal).every((listener) => listener === onSignal)) process.exit(failures.length > 0 ? 1 : 0);
    shuttingDown = false;
    signalled = false;
  });
}

function removeListeners(): void {
  servers.clear();
  if (workerMode) return;
  process.off("SIGTERM", onSignal);
  process.off("SIGINT", onSignal);
}
