import bunAdapter, { type BunAdapter } from "crossws/adapters/bun";
import type { AppWebSockets } from "../../ws/app-websockets.js";

/**
 * The app's WebSockets on Bun: crossws' Bun adapter, registered with the app (so
 * `app.close()` closes its peers with 1001 and `app.publish()` reaches them), with
 * the message size limit enforced by Bun itself (`maxPayloadLength`: a larger
 * message closes the connection with 1009).
 */
export function createBunWebSockets(websockets: AppWebSockets): { adapter: BunAdapter; websocket: BunAdapter["websocket"] } {
  const adapter = websockets.attach(bunAdapter(websockets.adapterOptions()));
  const websocket = { ...adapter.websocket, maxPayloadLength: websockets.maxMessageSize };
  // Bun's heartbeat: 0 turns it off, as `idleTimeout: 0` does on Node.
  if (websockets.idleTimeout !== undefined) Object.assign(websocket, { idleTimeout: websockets.idleTimeout, sendPings: websockets.idleTimeout > 0 });
  return { adapter, websocket };
}
