import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { NodeAdapter } from "crossws/adapters/node";
import { NodeRequest } from "srvx/node";
import { assertNitroApp } from "../../app/is-app.js";
import type { NitroApp } from "../../types/app.js";

/** A `node:http` `upgrade` listener, with what `serve()` needs to manage it. */
export interface NodeUpgradeHandler {
  (req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Settles once the cross-instance relay (if configured) listens. */
  ready(): Promise<void>;
}

/**
 * Serves the app's WebSocket routes on a `node:http` server you own: pass it to
 * the server's `upgrade` event. Upgrade requests go through the app's middleware
 * and route rules first, so they can be refused like any request.
 *
 * @example
 * import { createServer } from "node:http";
 * import { toNodeHandler, toNodeUpgradeHandler } from "nitrokit/node";
 * const server = createServer(toNodeHandler(app));
 * server.on("upgrade", toNodeUpgradeHandler(app));
 */
export function toNodeUpgradeHandler(app: NitroApp): NodeUpgradeHandler {
  assertNitroApp(app, "toNodeUpgradeHandler(app)");
  const websockets = app["~websockets"];
  let adapter: NodeAdapter | undefined;
  let loading: Promise<NodeAdapter> | undefined;
  // crossws and its `ws` server are imported on the first upgrade (an app that never gets one never loads
  // them); with a relay, at once, so it subscribes before peers arrive.
  const adapterOf = (): NodeAdapter | Promise<NodeAdapter> =>
    adapter ??
    (loading ??= import("crossws/adapters/node").then(
      ({ default: nodeAdapter }) =>
        (adapter = websockets.attach(nodeAdapter({ ...websockets.adapterOptions(), serverOptions: { maxPayload: websockets.maxMessageSize } }))),
    ));
  const relayLoaded = websockets.relayed ? Promise.resolve(adapterOf()) : undefined;
  // A failed load is reported by ready() and by the next upgrade, not as an unhandled rejection.
  relayLoaded?.catch(() => {});

  const handler = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // One context object for crossws (peer.context) and h3 (event.context): see AppWebSockets.resolve.
    const request = Object.assign(new NodeRequest({ req }), { context: {} });
    Promise.resolve(adapterOf())
      .then((loaded) => loaded.handleUpgrade(req, socket, head, request))
      .catch((error: unknown) => {
        console.error("[nitrokit] WebSocket upgrade failed:", error);
        socket.destroy();
      });
  };
  const ready = async (): Promise<void> => {
    await relayLoaded;
    await websockets.relayReady();
  };
  return Object.assign(handler, { ready });
}
