import { appInternals } from "../../app.js";
import type { NitroApp } from "../../app-types.js";
import { closeOnSignal } from "../node/signals.js";
import type { ListenOptions } from "./listen.js";

/**
 * The end of a graceful shutdown, the same on every server runtime: WebSocket peers
 * get 1001 first (upgraded sockets would hold the server open), the runtime's server
 * stops and lets requests in flight finish (`stopServer`), then the app closes.
 */
export async function shutDown(app: NitroApp, stopServer: () => Promise<void>): Promise<void> {
  const peersClosed = appInternals(app).websockets.close();
  await stopServer();
  await peersClosed.catch(() => undefined);
  await app.close();
}

/**
 * Wires a started server the way every adapter does: signal handlers (unless
 * `gracefulShutdown: false`) and the "Listening on" line, or the listen error.
 * Returns the function that removes the signal handlers.
 */
export function announce(server: { readonly url: string | undefined; close(): Promise<void> }, listening: Promise<void>, options: ListenOptions): () => void {
  const removeSignalHandlers = options.gracefulShutdown === false ? () => {} : closeOnSignal(server, { silent: options.silent });
  listening.then(
    () => {
      if (!options.silent) console.log(`[nitrokit] Listening on ${server.url}`);
    },
    (error: Error) => {
      removeSignalHandlers();
      if (!options.silent) console.error(error.message);
    },
  );
  return removeSignalHandlers;
}
