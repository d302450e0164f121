import type { DenoAdapter } from "crossws/adapters/deno";
import type { AppWebSockets } from "../../ws/app-websockets.js";
import { withMessageLimit } from "../shared/ws-message-limit.js";

/**
 * The app's WebSockets on Deno: crossws' Deno adapter (`Deno.upgradeWebSocket`),
 * registered with the app so `app.close()` closes its peers with 1001 and
 * `app.publish()` reaches them. Deno has no message size option, so the limit is
 * checked on arrival (1009, the route never sees the message). crossws is imported here,
 * with the first upgrade (or the relay), not at start-up.
 */
export async function createDenoWebSockets(websockets: AppWebSockets): Promise<DenoAdapter> {
  const { default: denoAdapter } = await import("crossws/adapters/deno");
  return websockets.attach(denoAdapter(withMessageLimit(websockets.adapterOptions(), websockets.maxMessageSize)));
}
