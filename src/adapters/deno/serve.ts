import { limitBody } from "../../input/body-limit.js";
import type { DenoHttpServer, DenoServeHandlerInfo } from "srvx";
import { appInternals } from "../../app.js";
import type { NitroApp } from "../../app-types.js";
import { announce, shutDown } from "../shared/lifecycle.js";
import { formatURL, isWebSocketUpgrade, resolveHostname, resolvePort, shutdownTimeout, withinTimeout, portError, type ListenOptions } from "../shared/listen.js";
import { decorateRequest, PendingWork } from "../shared/request.js";
import { createDenoWebSockets } from "./websocket.js";

/** Options of {@link serve} on Deno. */
export type DenoServeOptions = ListenOptions;

/** A running Deno server, as returned by {@link serve}. */
export interface NitroDenoServer {
  /** `Deno.serve()`'s server (after `ready()`). */
  readonly deno: DenoHttpServer | undefined;
  /** Resolves once the server listens; rejects when it cannot (port in use …). */
  ready(): Promise<NitroDenoServer>;
  /** The URL it listens on, e.g. `http://127.0.0.1:3000/`. */
  readonly url: string | undefined;
  /** The port it listens on. */
  readonly port: number | undefined;
  /**
   * Closes WebSocket peers (1001), stops accepting, lets requests in flight and their
   * `waitUntil` work finish (up to the graceful timeout; Deno cannot drop them
   * earlier, so after it the app closes regardless), and closes the app. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * Serves the app on Deno with `Deno.serve()`, WebSockets included (crossws' Deno adapter).
 * Needs `--allow-net` (and `--allow-env`, `--allow-read`/`--allow-write` for runtime
 * config from the environment and the default file storage), or `-A`.
 *
 * @example
 * import { serve } from "nitrokit/deno";
 * const server = serve(app, { port: 3000 });
 * await server.ready();
 */
export function serve(app: NitroApp, options: DenoServeOptions = {}): NitroDenoServer {
  type DenoServe = (options: Record<string, unknown>, handler: (request: Request, info: DenoServeHandlerInfo) => Response | Promise<Response>) => DenoHttpServer;
  const Deno = (globalThis as { Deno?: { serve: DenoServe } }).Deno;
  if (!Deno) throw new Error("[nitrokit] nitrokit/deno serves on Deno: run this with `deno run`, or use nitrokit/node or nitrokit/bun.");
  const { handle, maxRequestBodySize, websockets } = appInternals(app);
  const port = resolvePort(options.port);
  const hostname = resolveHostname(options.hostname);
  const timeout = shutdownTimeout(options.gracefulShutdown);
  const pending = new PendingWork();
  let adapter: ReturnType<typeof createDenoWebSockets> | undefined;
  // With a relay, at once, so it subscribes before peers arrive; else on the first upgrade.
  const adapterOf = () => (adapter ??= createDenoWebSockets(websockets));
  if (websockets.relayed) adapterOf();
  let denoServer: DenoHttpServer | undefined;
  let address: { hostname: string; port: number } | undefined;
  let closePromise: Promise<void> | undefined;

  const fetch = (raw: Request, info: DenoServeHandlerInfo): Response | Promise<Response> => {
    if (isWebSocketUpgrade(raw)) {
      // One context object for crossws (peer.context) and h3 (event.context).
      return adapterOf().handleUpgrade(Object.assign(raw, { context: {} }), info);
    }
    const runtime = { name: "deno", deno: { info, server: denoServer } };
    return handle(decorateRequest(limitBody(raw, maxRequestBodySize), runtime as never, () => info.remoteAddr?.hostname, pending.waitUntil));
  };

  let listening: Promise<void>;
  try {
    let listened!: () => void;
    listening = new Promise<void>((resolve) => (listened = resolve));
    denoServer = Deno.serve(
      {
        port,
        hostname,
        onListen: (info: { hostname: string; port: number }) => {
          address = info;
          listened();
        },
      },
      fetch,
    );
  } catch (error) {
    listening = Promise.reject(portError(error, port));
  }

  const server: NitroDenoServer = {
    get deno() {
      return denoServer;
    },
    get url() {
      return address && formatURL(address.hostname, address.port);
    },
    get port() {
      return address?.port;
    },
    async ready() {
      await Promise.all([listening, websockets.relayReady()]);
      return server;
    },
    close() {
      return (closePromise ??= shutdown());
    },
  };

  async function shutdown(): Promise<void> {
    removeSignalHandlers();
    await shutDown(app, async () => {
      if (denoServer) {
        // Stops accepting; resolves once requests in flight are done. Then their waitUntil work.
        const stopped = denoServer.shutdown().then(() => pending.settled());
        if ((await withinTimeout(stopped, timeout)) === "timeout") {
          console.warn(`[nitrokit] Requests still in flight after ${timeout} ms; closing the app anyway.`);
        }
      }
    });
  }

  const removeSignalHandlers = announce(server, listening, options);
  return server;
}
