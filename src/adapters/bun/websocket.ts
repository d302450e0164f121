import type { BunAdapter } from "crossws/adapters/bun";
import type { AppWebSockets } from "../../ws/app-websockets.js";

type BunWebSocketHandlers = BunAdapter["websocket"];

/** crossws' handlers for Bun's socket events, as far as they are passed through (Bun's types are not a dependency). */
interface SocketHandlers {
  open(ws: unknown): void;
  message(ws: unknown, message: unknown): void;
  close(ws: unknown, code: number, reason: string): void;
  drain(ws: unknown): void;
  ping(ws: unknown, data: unknown): void;
  pong(ws: unknown, data: unknown): void;
}

/** The app's WebSockets on Bun, as `serve()` wires them into `Bun.serve()`. */
export interface BunWebSockets {
  /** `Bun.serve()`'s `websocket` option (fixed when the server starts). */
  websocket: BunWebSocketHandlers;
  /** Upgrades a request (crossws' Bun adapter); Bun answers a successful upgrade itself. */
  handleUpgrade(request: Request & { context: Record<string, unknown> }, server: unknown): Promise<Response | undefined>;
  /** Loads the adapter now (a relay subscribes before peers arrive). */
  load(): Promise<void>;
}

/**
 * The app's WebSockets on Bun: crossws' Bun adapter, registered with the app (so
 * `app.close()` closes its peers with 1001 and `app.publish()` reaches them), with
 * the message size limit enforced by Bun itself (`maxPayloadLength`: a larger
 * message closes the connection with 1009).
 *
 * crossws is imported on the first upgrade (or at once with a relay), not at start-up.
 * `Bun.serve()` takes its `websocket` handlers when it starts, so they are fixed here and
 * call into the adapter: Bun only calls them for a socket an upgrade opened, by which
 * time the adapter is loaded.
 */
export function createBunWebSockets(websockets: AppWebSockets): BunWebSockets {
  let adapter: BunAdapter | undefined;
  let loading: Promise<BunAdapter> | undefined;
  const load = (): Promise<BunAdapter> =>
    (loading ??= import("crossws/adapters/bun").then(({ default: bunAdapter }) => (adapter = websockets.attach(bunAdapter(websockets.adapterOptions())))));
  const handlers = (): SocketHandlers => {
    if (!adapter) throw new Error("[nitrokit] A Bun WebSocket event arrived before any upgrade.");
    return adapter.websocket as unknown as SocketHandlers;
  };
  const socketHandlers: SocketHandlers = {
    open: (ws) => handlers().open(ws),
    message: (ws, message) => handlers().message(ws, message),
    close: (ws, code, reason) => handlers().close(ws, code, reason),
    drain: (ws) => handlers().drain(ws),
    ping: (ws, data) => handlers().ping(ws, data),
    pong: (ws, data) => handlers().pong(ws, data),
  };
  // crossws' own idle timeout default, unless the app sets one (below).
  const websocket = { ...socketHandlers, idleTimeout: 30, maxPayloadLength: websockets.maxMessageSize } as unknown as BunWebSocketHandlers;
  // Bun's heartbeat: 0 turns it off, as `idleTimeout: 0` does on Node.
  if (websockets.idleTimeout !== undefined) Object.assign(websocket, { idleTimeout: websockets.idleTimeout, sendPings: websockets.idleTimeout > 0 });
  return {
    websocket,
    handleUpgrade: async (request, server) => (await load()).handleUpgrade(request, server as never),
    load: async () => void (await load()),
  };
}
