/**
 * One SIGTERM/SIGINT listener for every server `serve()` starts with graceful
 * shutdown, so that several servers in one process all finish their requests
 * before the process exits (each with its own listener, the first to finish
 * would exit under the others).
 */

interface Closable {
  close(): Promise<void>;
}

const servers = new Set<Closable>();
let shuttingDown = false;
/** Stays true only while every registered server asked for silence. */
let quiet = true;

/** Closes `server` on SIGTERM/SIGINT. Returns the function that stops doing so. */
export function closeOnSignal(server: Closable, options: { silent?: boolean } = {}): () => void {
  servers.add(server);
  if (servers.size === 1) {
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  }
  if (!options.silent) quiet = false;
  return () => {
    servers.delete(server);
    // The last server stopping hands signals back: a second Ctrl+C during a slow shutdown kills at once.
    if (servers.size === 0) removeListeners();
  };
}

function onSignal(signal: NodeJS.Signals): void {
  if (shuttingDown) return;
  shuttingDown = true;
  if (!quiet) console.log(`[nitrokit] ${signal} received: finishing requests in flight, then closing.`);
  Promise.allSettled([...servers].map((server) => server.close())).then((results) => {
    const failures = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
    for (const failure of failures) console.error("[nitrokit] Shutdown failed:", failure.reason);
    removeListeners();
    // Exit unless someone else listens for the signal and will decide when.
    if (process.listenerCount(signal) === 0) process.exit(failures.length > 0 ? 1 : 0);
    shuttingDown = false;
  });
}

function removeListeners(): void {
  process.off("SIGTERM", onSignal);
  process.off("SIGINT", onSignal);
}
