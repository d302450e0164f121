import type { H3EventContext } from "h3";
import type { BunHttpServer, ServerMiddleware, ServerRequest } from "srvx";
import { serve as srvxServe } from "srvx/bun";
import { assertNitroApp } from "../../app/is-app.js";
import { EventContext } from "../../app/context.js";
import { handlerOf } from "../../server/serve.js";
import type { NitroApp } from "../../types/app.js";
import type { ListenOptions } from "../../server/options.js";
import { srvxBaseOptions, startServer } from "../../server/serve.js";
import { isWebSocketUpgrade } from "../shared/request.js";
import { nativeRoutes } from "./native-routes.js";
import { withBunRequestMembers, type BunFetch } from "./request.js";
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
 * Serves the app on Bun with `Bun.serve()` (through srvx), WebSockets included (crossws' Bun adapter).
 *
 * @example
 * import { serve } from "nitrokit/bun";
 * const server = serve(app, { port: 3000 });
 * await server.ready();
 */
export function serve(app: NitroApp, options: BunServeOptions = {}): NitroBunServer {
  if (!(globalThis as { Bun?: unknown }).Bun) throw new Error("[nitrokit] nitrokit/bun serves on Bun: run this with `bun`, or use nitrokit/node or nitrokit/deno.");
  assertNitroApp(app, "serve(app)");
  const handle = handlerOf(app);
  const { "~maxRequestBodySize": maxRequestBodySize, "~websockets": websockets, "~registry": routes } = app;
  const base = srvxBaseOptions(options);
  const ws = createBunWebSockets(websockets);
  // With a relay, crossws loads at once so it subscribes before peers arrive; else on the first upgrade.
  const relayLoaded = websockets.relayed ? ws.load() : undefined;
  relayLoaded?.catch(() => {}); // reported by the server's ready(), not as an unhandled rejection

  // Served first, upgraded after. Reading a Bun request's `headers` makes Bun build them from the wire
  // (~1 µs per request on Bun 1.4.5, more with a browser's headers), so the `Upgrade` header is only read
  // when the app's answer is a WebSocket route's; the app's answer is then handed to crossws, which
  // upgrades without serving the request again (AppWebSockets.answeredBeforeUpgrade).
  const fetch = (request: ServerRequest): Response | Promise<Response> => {
    // An opening handshake is a GET (RFC 6455 §4.1): any other request is the app's alone.
    if (request.method !== "GET") return handle(request);
    // One context object for h3 (event.context) and, if this becomes a WebSocket, crossws (peer.context).
    const context = new EventContext();
    const response = handle(request, context);
    return isPromise(response) ? response.then((resolved) => upgradeIfAsked(request, resolved, context)) : upgradeIfAsked(request, response, context);
  };
  const upgradeIfAsked = (request: ServerRequest, response: Response, context: H3EventContext): Response | Promise<Response> => {
    if (!isWebSocketRouteAnswer(request, response) || !isWebSocketUpgrade(request)) return response;
    websockets.answeredBeforeUpgrade(request, response);
    // Bun answers a successful upgrade itself: the handler returns nothing.
    return ws.handleUpgrade(Object.assign(request, { context }), request.runtime!.bun!.server) as Promise<Response>;
  };
  // What Bun calls for each request, instead of srvx's own fetch: the same members on the request
  // (`runtime`, `ip`, `waitUntil`) for much less (see request.ts), then srvx's middleware (its
  // trustProxy rewrite of `ip` and `url`, when the option is set), then `fetch`.
  let withMiddleware: ((request: ServerRequest) => Response | Promise<Response>) | undefined;
  const bunFetch: BunFetch = withBunRequestMembers((request) => (withMiddleware ??= throughMiddleware(srvx.options.middleware, fetch))(request), () => srvx.waitUntil);
  const srvx = srvxServe({
    ...base,
    fetch,
    bun: {
      // Each entry runs the same fetch: only Bun's dispatch differs (see BunServeOptions.nativeRoutes).
      ...(options.nativeRoutes ? { routes: nativeRoutes(routes, bunFetch) } : {}),
      websocket: ws.websocket,
      // The app's limit answers 413 as JSON; Bun's own limit only has to let such bodies through.
      maxRequestBodySize: Math.max(maxRequestBodySize, BUN_DEFAULT_BODY_LIMIT),
    },
  });
  // srvx hands Bun its own fetch; `manual: true` (srvxBaseOptions) leaves time to put ours in before it listens.
  if (srvx.serveOptions) srvx.serveOptions.fetch = bunFetch as NonNullable<typeof srvx.serveOptions>["fetch"];

  return startServer<NitroBunServer>(
    {
      srvx,
      address() {
        const bun = srvx.bun?.server;
        return bun?.hostname !== undefined && bun.port !== undefined ? { hostname: bun.hostname, port: bun.port } : undefined;
      },
      websocketsReady: async () => {
        await relayLoaded;
        await websockets.relayReady();
      },
      forceStop: () => Promise.resolve(srvx.bun?.server?.stop(true)).catch(() => undefined),
    },
    () => app,
    { ...options, port: base.port },
    {
      get bun() {
        return srvx.bun?.server;
      },
    },
  );
}

/** crossws' registered symbol for the hooks h3's WebSocket handlers leave on the request (crossws loads on the first upgrade). */
const kWebSocketHooks = Symbol.for("crossws.hooks");

/**
 * Whether the app answered as a WebSocket route does (h3's `defineWebSocketHandler`: hooks on the
 * request or on the answer, with 426 or a success), so an `Upgrade` header would make it a WebSocket.
 * The same test crossws' resolve applies (AppWebSockets.resolve).
 */
function isWebSocketRouteAnswer(request: Request, response: Response): boolean {
  const hooks = (request as { [kWebSocketHooks]?: unknown })[kWebSocketHooks] ?? (response as { crossws?: unknown }).crossws;
  return hooks !== undefined && (response.ok || response.status === 426);
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Promise<T> | undefined)?.then === "function";
}

/**
 * `fetch` behind srvx's middleware (outermost first), composed as srvx composes it for its own
 * fetch: the middleware srvx's plugins installed (trustProxy) run as they would there.
 */
function throughMiddleware(
  middleware: readonly ServerMiddleware[] | undefined,
  fetch: (request: ServerRequest) => Response | Promise<Response>,
): (request: ServerRequest) => Response | Promise<Response> {
  let composed = fetch;
  for (let i = (middleware?.length ?? 0) - 1; i >= 0; i--) {
    const layer = middleware![i]!;
    const next = composed;
    composed = (request) => layer(request, () => next(request)) as Response | Promise<Response>;
  }
  return composed;
}
