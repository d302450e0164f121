import type { DenoHttpServer, DenoServeHandlerInfo, ServerRequest } from "srvx";
import { serve as srvxServe } from "srvx/deno";
import { assertNitroApp } from "../../app/is-app.js";
import { handlerOf } from "../../server/serve.js";
import type { NitroApp } from "../../types/app.js";
import type { ListenOptions } from "../../server/options.js";
import { srvxBaseOptions, startServer } from "../../server/serve.js";
import { isWebSocketUpgrade } from "../shared/request.js";
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
 * Serves the app on Deno with `Deno.serve()` (through srvx), WebSockets included (crossws' Deno adapter).
 * Needs `--allow-net` (and `--allow-env`, `--allow-read`/`--allow-write` for runtime
 * config from the environment and the default file storage), or `-A`.
 *
 * @example
 * import { serve } from "nitrokit/deno";
 * const server = serve(app, { port: 3000 });
 * await server.ready();
 */
export function serve(app: NitroApp, options: DenoServeOptions = {}): NitroDenoServer {
  if (!(globalThis as { Deno?: unknown }).Deno) throw new Error("[nitrokit] nitrokit/deno serves on Deno: run this with `deno run`, or use nitrokit/node or nitrokit/bun.");
  assertNitroApp(app, "serve(app)");
  const handle = handlerOf(app);
  const websockets = app["~websockets"];
  const base = srvxBaseOptions(options);
  let adapter: ReturnType<typeof createDenoWebSockets> | undefined; // a promise: crossws loads with it
  // With a relay, at once, so it subscribes before peers arrive; else on the first upgrade.
  const adapterOf = () => (adapter ??= createDenoWebSockets(websockets));
  if (websockets.relayed) adapterOf().catch(() => {}); // a failure is reported by the server's ready()

  const fetch = (request: ServerRequest): Response | Promise<Response> => {
    if (isWebSocketUpgrade(request)) {
      // One context object for crossws (peer.context) and h3 (event.context).
      const info = (request.runtime!.deno as { info: DenoServeHandlerInfo }).info;
      return adapterOf().then((loaded) => loaded.handleUpgrade(Object.assign(request, { context: {} }), info as never));
    }
    return handle(request);
  };
  const srvx = srvxServe({ ...base, fetch });

  return startServer<NitroDenoServer>(
    {
      srvx,
      address() {
        const addr = srvx.deno?.server?.addr;
        return addr?.hostname !== undefined && addr.port !== undefined ? { hostname: addr.hostname, port: addr.port } : undefined;
      },
      websocketsReady: async () => {
        if (websockets.relayed) await adapterOf();
        await websockets.relayReady();
      },
      // Deno cannot drop connections in flight: the app closes regardless.
      forceStop: (timeout) => console.warn(`[nitrokit] Requests still in flight after ${timeout} ms; closing the app anyway.`),
    },
    () => app,
    { ...options, port: base.port },
    {
      get deno() {
        return srvx.deno?.server;
      },
    },
  );
}
