import type { AdapterInstance, AdapterOptions, Hooks, SyncDriver } from "crossws";
import { HTTPError } from "h3";
import { errorResponse } from "../errors/error-response.js";
import { checkOrigin } from "./origin.js";
import { guardHooks, type HookGuard } from "./guard-hooks.js";
import { createPubSub, defaultPubSub, type PubSub } from "./pubsub.js";
import { DEFAULT_MAX_MESSAGE_SIZE, type NitroWebSocketConfig } from "./types.js";

/** What the WebSocket layer needs from its app. */
export interface WebSocketHost {
  /** Serves a request through the app (middleware, route rules, the route's handler). */
  handle(request: Request, context?: Record<string, unknown>): Response | Promise<Response>;
  /** Runs `fn` as code of the app. */
  run<T>(fn: () => T): T;
  /** Reports an error with tags (`["websocket", hook]`). */
  report(error: unknown, tags: string[]): void;
}

/** The close code and reason peers get when the app shuts down ("going away"). */
const GOING_AWAY = 1001;
const GOING_AWAY_REASON = "Server shutting down";
/** How long shutdown waits for peers to answer the close handshake before closing the relay. */
const PEERS_CLOSE_GRACE = 1000;

/**
 * An app's WebSockets, independent of the runtime: how an upgrade request finds
 * its hooks, the relay between instances, the limits, and the peers to close.
 * Each adapter (Node, Bun, Deno, Workers) creates its crossws adapter with
 * {@link adapterOptions} and hands it to {@link attach}.
 */
export class AppWebSockets {
  readonly maxMessageSize: number;
  readonly idleTimeout: number | undefined;
  readonly #host: WebSocketHost;
  readonly #allowedOrigins: readonly string[] | "*" | undefined;
  readonly #guard: HookGuard;
  readonly #pubsub: PubSub | undefined;
  readonly #adapters = new Set<AdapterInstance>();
  /** Guarded hooks per route hooks object: wrapped once, not once per connection. */
  readonly #guarded = new WeakMap<Partial<Hooks>, Partial<Hooks>>();
  /** Answers the app gave to requests before they asked crossws to upgrade them (see {@link answeredBeforeUpgrade}). */
  readonly #answered = new WeakMap<Request, Response>();
  #publisher: SyncDriver | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(config: NitroWebSocketConfig = {}, host: WebSocketHost) {
    this.maxMessageSize = config.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    this.idleTimeout = config.idleTimeout;
    this.#allowedOrigins = config.allowedOrigins;
    this.#host = host;
    this.#pubsub = config.pubsub ? createPubSub(config.pubsub) : defaultPubSub();
    this.#guard = {
      run: host.run,
      report: (error, hook) => host.report(error, ["websocket", hook]),
    };
  }

  /** Whether `peer.publish()` is relayed to other instances. */
  get relayed(): boolean {
    return this.#pubsub !== undefined;
  }

  /**
   * crossws' `resolve`: the upgrade request goes through the app like any request,
   * so middleware and route rules apply and can refuse it. A route that serves
   * WebSockets leaves its hooks on the request; anything else (a 401 from auth
   * middleware, a 404, a plain route's answer) is sent back instead of upgrading.
   *
   * Adapters give the request a `context` object before crossws sees it: crossws
   * makes it the peer's `context` and h3 the event's, so what middleware puts on
   * `event.context` (the user, route params) is on `peer.context` in the hooks.
   */
  readonly resolve = async (request: Request & { context?: Record<string, unknown> }): Promise<Partial<Hooks>> => {
    const refused = checkOrigin(request, this.#allowedOrigins);
    if (refused) return { upgrade: () => errorResponse(new HTTPError({ status: 403, message: refused }), { dev: false }) };
    const answered = this.#answered.get(request);
    if (answered) this.#answered.delete(request);
    const response = answered ?? (await this.#host.handle(request, request.context));
    // crossws itself loads with the first upgrade: an app without WebSockets never imports it.
    const { getWebSocketHooks } = await import("crossws");
    const hooks = getWebSocketHooks(request) ?? (response as Response & { crossws?: Partial<Hooks> }).crossws;
    if (!hooks || !(response.ok || response.status === 426)) return { upgrade: () => response };
    response.body?.cancel().catch(() => {});
    let guarded = this.#guarded.get(hooks);
    if (!guarded) this.#guarded.set(hooks, (guarded = guardHooks(hooks, this.#guard)));
    return guarded;
  };

  /**
   * Hands over the app's answer to an upgrade request that was served before anyone looked at its
   * `Upgrade` header (Bun's server, where reading headers costs every request: adapters/bun/serve.ts),
   * with `request.context` already the event's. {@link resolve} takes it instead of serving the
   * request a second time, so middleware and hooks run once per upgrade, as on every other runtime.
   */
  answeredBeforeUpgrade(request: Request, response: Response): void {
    this.#answered.set(request, response);
  }

  /** Options every runtime's crossws adapter is created with. */
  adapterOptions(): AdapterOptions {
    return {
      resolve: this.resolve,
      idleTimeout: this.idleTimeout,
      sync: this.#pubsub?.sync,
      onError: (error, { stage }) => this.#host.report(error, ["websocket", "pubsub", stage]),
    };
  }

  /** Registers an adapter's instance, so `close()` and `publish()` reach its peers. */
  attach<T extends AdapterInstance>(adapter: T): T {
    this.#adapters.add(adapter);
    if (this.#closed) void adapter.close(GOING_AWAY, GOING_AWAY_REASON);
    return adapter;
  }

  /**
   * Settles once the relay listens for other instances' messages (at once without
   * one). A relay that cannot connect within `timeout` ms is reported and left to
   * retry: local delivery works without it.
   */
  async relayReady(timeout = 5000): Promise<void> {
    if (!this.#pubsub) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"late">((resolve) => (timer = setTimeout(resolve, timeout, "late")));
    const outcome = await Promise.race([this.#pubsub.subscribed(), late]);
    clearTimeout(timer);
    if (outcome === "late") console.warn(`[nitrokit] WebSocket pub/sub is not connected after ${timeout} ms; serving local peers meanwhile.`);
  }

  /**
   * Sends `data` to every peer subscribed to `topic`, here and, with `pubsub`, on
   * the other instances (from an HTTP handler, a task, a plugin, ...).
   */
  publish(topic: string, data: unknown): void {
    const [first, ...others] = this.#adapters;
    if (first) {
      // One adapter's publish relays to the others through pub/sub; without it, each publishes locally.
      first.publish(topic, data);
      if (!this.#pubsub) for (const adapter of others) adapter.publish(topic, data);
      return;
    }
    if (!this.#pubsub || this.#closed) return;
    this.#publisher ??= this.#pubsub.sync({ id: crypto.randomUUID() });
    void Promise.resolve(this.#publisher.publish({ namespace: "", topic, data: serialize(data) })).catch((error: unknown) =>
      this.#host.report(error, ["websocket", "pubsub", "publish"]),
    );
  }

  /** Closes every peer with 1001 ("going away") and the relay. */
  close(): Promise<void> {
    return (this.#closing ??= this.#close());
  }

  async #close(): Promise<void> {
    this.#closed = true;
    const adapters = [...this.#adapters];
    // Peers first, and their close hooks a moment to run, so what they publish ("user left") is still relayed.
    for (const adapter of adapters) for (const peers of adapter.peers.values()) for (const peer of peers) peer.close(GOING_AWAY, GOING_AWAY_REASON);
    const deadline = Date.now() + PEERS_CLOSE_GRACE;
    while (Date.now() < deadline && adapters.some((adapter) => [...adapter.peers.values()].some((peers) => peers.size > 0))) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await Promise.all(adapters.map((adapter) => adapter.close(GOING_AWAY, GOING_AWAY_REASON)));
    await this.#publisher?.close?.();
  }
}

/** What crossws' peers send for a value: JSON for objects, text or bytes as they are. */
function serialize(data: unknown): string | Uint8Array {
  if (typeof data === "string" || data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data === undefined || data === null ? "" : typeof data === "object" ? JSON.stringify(data) : String(data);
}
