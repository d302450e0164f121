import { limitBody } from "../../input/body-limit.js";
import type { BunHttpServer } from "srvx";
import { appInternals } from "../../app.js";
import type { NitroApp } from "../../app-types.js";
import { announce, shutDown } from "../shared/lifecycle.js";
import { formatURL, isWebSocketUpgrade, resolveHostname, resolvePort, shutdownTimeout, withinTimeout, portError, type ListenOptions } from "../shared/listen.js";
import { decorateRequest, PendingWork } from "../shared/request.js";
import { nativeRoutes } from "./native-routes.js";
import { createBunWebSockets } from "./websocket.js";

/** Options of {@link serve} on Bun. */
export interface BunServeOptions extends ListenOptions {
  /**
   * Also hand the app's static paths (no params, no wildcards) to Bun's native
   * `routes` table (Bun ≥ 1.2.3), as Elysia does. Each entry runs the whole app
   * exactly as `fetch` does, so behaviour is identical either way; only Bun's
   * dispatch differs. Off by default: see `bench/bun-routes.mjs` for what it measured.
   */
  nativeRoutes?: boolean;
}

/** A running Bun server, as returned by {@link serve}. */
export interface NitroBunServer {
  /** `Bun.serve()`'s server (after `ready()`). */
  readonly bun: BunHttpServer | undefined;
  /** Resolves once the server listens; rejects when it cannot (port in use …). */
  ready(): Promise<NitroBunServer>;
  /** The URL it listens on, e.g. `http://127.0.0.1:3000/`. */
  readonly url: string | undefined;
  /** The port it listens on. */
  readonly port: number | undefined;
  /**
   * Closes WebSocket peers (1001), stops accepting, lets requests in flight and their
   * `waitUntil` work finish (up to the graceful timeout, then drops connections), and
   * closes the app. Idempotent.
   */
  close(): Promise<void>;
}

/** Bun's own default: bodies are cut off there unless the app allows more. */
const BUN_DEFAULT_BODY_LIMIT = 128 * 1024 * 1024;

/**
 * Serves the app on Bun with `Bun.serve()`, WebSockets included (crossws' Bun adapter).
 *
 * @example
 * import { serve } from "nitrokit/bun";
 * const server = serve(app, { port: 3000 });
 * await server.ready();
 */
export function serve(app: NitroApp, options: BunServeOptions = {}): NitroBunServer {
  const Bun = (globalThis as { Bun?: { serve(options: Record<string, unknown>): BunHttpServer } }).Bun;
  if (!Bun) throw new Error("[nitrokit] nitrokit/bun serves on Bun: run this with `bun`, or use nitrokit/node or nitrokit/deno.");
  const { handle, maxRequestBodySize, websockets, routes } = appInternals(app);
  const port = resolvePort(options.port);
  const hostname = resolveHostname(options.hostname);
  const timeout = shutdownTimeout(options.gracefulShutdown);
  const ws = createBunWebSockets(websockets);
  const pending = new PendingWork();
  let bunServer: BunHttpServer | undefined;
  let closePromise: Promise<void> | undefined;

  const fetch = (raw: Request, server: BunHttpServer): Response | Promise<Response | undefined> | undefined => {
    if (isWebSocketUpgrade(raw)) {
      // One context object for crossws (peer.context) and h3 (event.context).
      return ws.adapter.handleUpgrade(Object.assign(raw, { context: {} }), server as never);
    }
    const request = decorateRequest(limitBody(raw, maxRequestBodySize), { name: "bun", bun: { server } }, () => server.requestIP(raw)?.address, pending.waitUntil);
    return handle(request);
  };

  let listening: Promise<void>;
  try {
    bunServer = Bun.serve({
      port,
      hostname,
      fetch,
      // Each entry runs the same `fetch`: only Bun's dispatch differs (see BunServeOptions.nativeRoutes).
      ...(options.nativeRoutes ? { routes: nativeRoutes(routes, fetch) } : {}),
      websocket: ws.websocket,
      // The app's limit answers 413 as JSON; Bun's own limit only has to let such bodies through.
      maxRequestBodySize: Math.max(maxRequestBodySize, BUN_DEFAULT_BODY_LIMIT),
    });
    listening = Promise.resolve();
  } catch (error) {
    listening = Promise.reject(portError(error, port));
  }

  const server: NitroBunServer = {
    get bun() {
      return bunServer;
    },
    get url() {
      return bunServer?.hostname !== undefined && bunServer.port !== undefined ? formatURL(bunServer.hostname, bunServer.port) : undefined;
    },
    get port() {
      return bunServer?.port;
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
      if (bunServer) {
        // Stops accepting; resolves once requests in flight are done. Then their waitUntil work.
        const stopped = Promise.resolve(bunServer.stop(false)).then(() => pending.settled());
        if ((await withinTimeout(stopped, timeout)) === "timeout") await Promise.resolve(bunServer.stop(true)).catch(() => undefined);
      }
    });
  }

  const removeSignalHandlers = announce(server, listening, options);
  return server;
}
