import type { AdapterInstance, AdapterOptions, Hooks, Peer } from "crossws";
import type { AppWebSockets } from "../../ws/app-websockets.js";
import { withMessageLimit } from "../shared/ws-message-limit.js";
import type { WorkerEnv, WorkerExecutionContext } from "./types.js";

interface CloudflareWebSocketAdapter extends AdapterInstance {
  handleUpgrade(request: Request, env: unknown, ctx: WorkerExecutionContext): Promise<Response>;
}

/**
 * The app's WebSockets on Workers: crossws' Cloudflare adapter, with the peers held
 * by the isolate that accepted them (no Durable Object). Hooks run as on every
 * runtime (upgrade through middleware and route rules, `peer.context` =
 * `event.context` with `cloudflare.env`, the message size limit → 1009).
 *
 * Limits: peers live in one isolate and cannot be reached from another, so
 * `peer.publish()` does nothing (crossws warns) and `app.publish()` reaches only the
 * peers of the isolate it runs in. Pub/sub across isolates needs a Durable Object
 * holding the sockets; nitrokit does not ship one yet.
 */
export function createWorkerWebSockets(websockets: AppWebSockets): (request: Request, env: WorkerEnv, ctx: WorkerExecutionContext) => Promise<Response> {
  let adapter: Promise<CloudflareWebSocketAdapter> | undefined;
  // Imported on the first upgrade: the module imports `cloudflare:workers`, which only workerd has.
  const adapterOf = () =>
    (adapter ??= import("crossws/adapters/cloudflare").then(({ default: cloudflareAdapter }) => {
      const instance = cloudflareAdapter({
        ...withServerSideClose(withMessageLimit(websockets.adapterOptions(), websockets.maxMessageSize)),
        resolveDurableStub: () => undefined,
      }) as unknown as CloudflareWebSocketAdapter;
      // crossws publishes through a Durable Object; without one, deliver to this isolate's subscribers.
      const publish = (topic: string, data: unknown) => {
        for (const peers of instance.peers.values()) for (const peer of peers) if (peer.topics.has(topic)) peer.send(data);
      };
      return websockets.attach(Object.assign(instance, { publish }));
    }));
  return async (request, env, ctx) => (await adapterOf()).handleUpgrade(request, env, ctx);
}

/**
 * crossws' peer without a Durable Object closes the *client* end of its socket pair,
 * which the runtime already handed to the client: `peer.close()` does nothing. Give
 * its class a `close` that closes the server end, before the route's `open` runs.
 */
function withServerSideClose(options: AdapterOptions): AdapterOptions {
  const resolve = options.resolve!;
  const patched = new WeakSet<object>();
  const fix = (peer: Peer) => {
    const proto = Object.getPrototypeOf(peer) as object;
    if (patched.has(proto)) return;
    patched.add(proto);
    Object.defineProperty(proto, "close", {
      configurable: true,
      writable: true,
      value(this: { _internal: { wsServer?: WebSocket; ws: WebSocket } }, code?: number, reason?: string) {
        (this._internal.wsServer ?? this._internal.ws).close(code, reason);
      },
    });
  };
  return {
    ...options,
    resolve: async (request) => {
      const hooks: Partial<Hooks> = await resolve(request);
      const open = hooks.open;
      return { ...hooks, open: (peer: Peer) => (fix(peer), open?.(peer)) };
    },
  };
}
