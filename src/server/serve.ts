import type { H3EventContext } from "h3";
import type { Server as SrvxServer } from "srvx";
import type { NitroApp } from "../types/app.js";
import {
  formatURL,
  gracefulShutdownEnabled,
  portError,
  resolveHostname,
  resolvePort,
  shutdownTimeout,
  withinTimeout,
  type ListenOptions,
} from "./options.js";
import { closeOnSignal } from "./signals.js";

/** Where a runtime's server listens, once it does. */
export interface ListenAddress {
  hostname: string;
  port: number;
  /** Served over TLS (the URL says `https://`). */
  secure?: boolean;
  /** Listening on a Unix socket at this path instead of a port (the URL is `unix:<path>`). */
  socket?: string;
}

/** What differs per runtime: the srvx server it built, and how to read and force it. */
export interface RuntimeServer {
  /** srvx's server, created with `manual: true`, `silent: true`, `gracefulShutdown: false`. */
  readonly srvx: SrvxServer;
  /** The bound address (after listening). */
  address(): ListenAddress | undefined;
  /** Settles once the runtime's WebSocket side is ready (the cross-instance relay listens). */
  websocketsReady(): Promise<void>;
  /** Called as the graceful stop begins; returns what to undo once it ends (Node sweeps idle sockets). */
  beginStop?(): () => void;
  /** The graceful timeout passed with requests still in flight: drop them where the runtime can. */
  forceStop(timeout: number): Promise<void> | void;
}

/** What every adapter's server object has, the same on each runtime. */
export interface RunningServer<Self> {
  /** The URL it listens on (after `ready()`), e.g. `http://127.0.0.1:3000/`. */
  readonly url: string | undefined;
  /** The port it listens on (after `ready()`). */
  readonly port: number | undefined;
  /** Resolves once the server listens and its WebSockets are ready; rejects when it cannot listen. */
  ready(): Promise<Self>;
  /** Stops gracefully and closes the app; idempotent. */
  close(): Promise<void>;
}

/** `app["~serve"]` as a plain function (a server's `fetch`): the app's request path, body limit included. */
export function handlerOf(app: NitroApp): (request: Request, context?: H3EventContext) => Response | Promise<Response> {
  return (request, context) => app["~serve"](request, context);
}

/**
 * The srvx options every runtime's server is created with: the port and interface, read once from
 * the options and the environment, and srvx's own listening, banner and shutdown turned off,
 * since {@link startServer} does those the same way on every runtime.
 */
export function srvxBaseOptions(options: ListenOptions) {
  return {
    manual: true,
    silent: true,
    gracefulShutdown: false,
    port: resolvePort(options.port),
    hostname: resolveHostname(options.hostname),
    trustProxy: options.trustProxy,
  } as const;
}

/**
 * Starts a runtime's srvx server and runs it the same way on Node, Bun and Deno:
 * listening (a port in use rejects `ready()` with a message saying so), the
 * "Listening on" line unless `silent`, signal handling unless `gracefulShutdown: false`,
 * and the graceful stop: WebSocket peers get 1001 (upgraded sockets would hold the
 * server open), srvx stops accepting and waits for requests in flight and their
 * `waitUntil` work, up to the timeout (then the runtime drops what is left), then
 * the app serving at the time (`currentApp()`) closes.
 * Returns `own` (what the runtime's server object adds: `node`, `bun`, `deno` …)
 * with the {@link RunningServer} members.
 */
export function startServer<Self extends RunningServer<Self>>(
  runtime: RuntimeServer,
  currentApp: () => NitroApp,
  options: ListenOptions & { port: number; socket?: string },
  own: Omit<Self, keyof RunningServer<Self>>,
): Self {
  const { port } = options;
  const timeout = shutdownTimeout(options.gracefulShutdown);
  const { srvx } = runtime;
  let closePromise: Promise<void> | undefined;

  let listening: Promise<void>;
  try {
    // Bun and Deno throw from the call itself when the port is taken; Node rejects.
    listening = Promise.resolve(srvx.serve()).then(() => undefined);
  } catch (error) {
    listening = Promise.reject(error);
  }
  listening = listening.catch((error: unknown) => {
    throw portError(error, port, options.socket);
  });

  const server = Object.defineProperties(own, {
    port: {
      enumerable: true,
      get() {
        const address = runtime.address();
        return address?.socket === undefined ? address?.port : undefined;
      },
    },
    url: {
      enumerable: true,
      get() {
        const address = runtime.address();
        if (address?.socket !== undefined) return `unix:${address.socket}`;
        return address && formatURL(address.hostname, address.port, address.secure);
      },
    },
    ready: {
      enumerable: true,
      async value() {
        await Promise.all([listening, runtime.websocketsReady()]);
        return server;
      },
    },
    close: { enumerable: true, value: () => (closePromise ??= shutdown()) },
  }) as Self;

  async function shutdown(): Promise<void> {
    removeSignalHandlers();
    const peersClosed = currentApp()["~websockets"].close();
    const endStop = runtime.beginStop?.();
    // Stops accepting; resolves once requests in flight and their waitUntil work are done.
    const stopped = srvx.close().catch(() => undefined);
    if ((await withinTimeout(stopped, timeout)) === "timeout") await runtime.forceStop(timeout);
    endStop?.();
    await peersClosed.catch(() => undefined);
    await currentApp().close();
  }

  const removeSignalHandlers = gracefulShutdownEnabled(options.gracefulShutdown) ? closeOnSignal(server, { silent: options.silent }) : () => {};
  listening.then(
    () => {
      if (!options.silent) console.log(`[nitrokit] Listening on ${server.url}`);
    },
    (error: Error) => {
      removeSignalHandlers();
      if (!options.silent) console.error(error.message);
    },
  );
  return server;
}
