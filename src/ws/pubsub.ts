import type { SyncAdapter, SyncDriver, SyncMessage } from "crossws";
import type { Redis, RedisOptions } from "ioredis";
import { installHint } from "../storage/drivers.js";
import type { RedisWebSocketPubSub, WebSocketPubSubConfig } from "./types.js";
import { importOptional } from "../platform/optional-import.js";
import { clusterWebSocketRelay } from "../server/cluster/ws-relay.js";
import { isClusterWorker } from "../server/cluster/worker.js";

/** A cross-instance relay for one app, and what the app needs to manage it. */
export interface PubSub {
  /** Handed to crossws adapters (`sync`); each adapter gets its own driver (its own echo id). */
  readonly sync: SyncAdapter;
  /** Settles once every driver created so far has subscribed (or failed to). */
  subscribed(): Promise<void>;
}

/**
 * The relay `websocket.pubsub` asks for. A crossws sync adapter passes through
 * (with readiness tracked); `{ driver: "redis" }` becomes crossws' Redis driver on
 * an ioredis client loaded on first use, so apps without it need no Redis client.
 */
export function createPubSub(config: WebSocketPubSubConfig): PubSub {
  const subscriptions: Array<Promise<unknown>> = [];
  const adapter = typeof config === "function" ? config : redisAdapter(config);
  return {
    sync: (ctx) => {
      const driver = adapter(ctx);
      return {
        subscribe(deliver) {
          const subscription = Promise.resolve(driver.subscribe(deliver));
          subscriptions.push(subscription.catch(() => undefined));
          return subscription;
        },
        publish: (message) => driver.publish(message),
        close: driver.close ? () => driver.close!() : undefined,
      };
    },
    subscribed: () => Promise.all(subscriptions).then(() => undefined),
  };
}

/**
 * The relay an app gets without `websocket.pubsub`: none, except in a worker of a
 * nitrokit cluster (`serve(app, { workers })`), where the primary relays between
 * the workers so a publish reaches peers connected to any of them.
 */
export function defaultPubSub(): PubSub | undefined {
  return isClusterWorker() ? createPubSub(clusterWebSocketRelay()) : undefined;
}

function redisAdapter(config: RedisWebSocketPubSub): SyncAdapter {
  if (config.driver !== "redis") {
    throw new TypeError(`[nitrokit] websocket.pubsub: unknown driver '${String(config.driver)}'. Use { driver: "redis", url } or a crossws sync adapter.`);
  }
  const url = config.url ?? globalThis.process?.env?.REDIS_URL ?? "redis://127.0.0.1:6379";
  const channel = config.channel ?? "nitrokit:ws";
  return (ctx) => new LazyRedisDriver(url, channel, ctx.id);
}

/**
 * crossws' Redis driver over a publisher and a subscriber connection of our own
 * making: ioredis loads on first use, both connections get an `error` listener
 * (an outage is reported, not printed on every retry), and closing disconnects
 * at once instead of waiting on a `QUIT` that a dead server never answers.
 * ioredis reconnects by itself and re-subscribes the subscriber connection.
 */
class LazyRedisDriver implements SyncDriver {
  #inner: Promise<{ driver: SyncDriver; connections: Redis[] }> | undefined;
  #closed = false;

  constructor(
    readonly url: string,
    readonly channel: string,
    readonly id: string,
  ) {}

  async subscribe(deliver: (message: SyncMessage) => void): Promise<void> {
    const { driver } = await this.#load();
    await driver.subscribe(deliver);
  }

  async publish(message: SyncMessage): Promise<void> {
    // A peer's close hook may still publish while the app shuts down: nothing to relay it to.
    if (this.#closed) return;
    const { driver, connections } = await this.#load();
    try {
      await driver.publish(message);
    } catch (error) {
      // Commands in flight when the connection drops fail; the outage itself is already in the log.
      if (connections[0]!.status === "ready") throw error;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (!this.#inner) return;
    const { driver, connections } = await this.#inner;
    await driver.close?.();
    for (const connection of connections) connection.disconnect();
  }

  #load() {
    if (this.#closed) return Promise.reject(new Error("[nitrokit] WebSocket pub/sub is closed."));
    return (this.#inner ??= this.#connect());
  }

  async #connect() {
    let RedisClient: typeof Redis;
    try {
      RedisClient = (await importOptional<typeof import("ioredis")>("ioredis")).Redis;
    } catch (error) {
      throw new Error(`[nitrokit] websocket.pubsub: cannot load the Redis client. ${installHint(error)}`, { cause: error });
    }
    const options: RedisOptions = { lazyConnect: false };
    const publisher = new RedisClient(this.url, options);
    const connections: Redis[] = [publisher];
    // Each connection reports the first failure of an outage; ioredis keeps retrying.
    const watch = (connection: Redis) => {
      let down = false;
      connection.on("error", (error: Error) => {
        if (down || this.#closed) return;
        down = true;
        console.error(`[nitrokit] WebSocket pub/sub: Redis connection failed (${error.message}); local delivery continues, retrying.`);
      });
      connection.on("ready", () => (down = false));
      return connection;
    };
    watch(publisher);
    const client = {
      publish: (channel: string, message: string) => publisher.publish(channel, message),
      subscribe: (channel: string) => publisher.subscribe(channel),
      duplicate: () => {
        // ioredis' own re-subscribe after a reconnect leaves its promise unhandled: a drop right after
        // "ready" becomes an unhandled rejection. Re-subscribe here instead, with the failure handled.
        const subscriber = watch(publisher.duplicate({ autoResubscribe: false }));
        connections.push(subscriber);
        const channels = new Set<string>();
        let connectedOnce = false;
        subscriber.on("ready", () => {
          if (connectedOnce && channels.size > 0 && !this.#closed) subscriber.subscribe(...channels).catch(() => {});
          connectedOnce = true;
        });
        return {
          publish: (c: string, m: string) => subscriber.publish(c, m),
          subscribe: (c: string) => {
            channels.add(c);
            return subscriber.subscribe(c);
          },
          on: (event: "message", listener: (channel: string, message: string) => void) => subscriber.on(event, listener),
          off: (event: "message", listener: (channel: string, message: string) => void) => subscriber.off(event, listener),
          duplicate: (): never => {
            throw new Error("[nitrokit] Unexpected nested Redis duplicate().");
          },
        };
      },
    };
    // crossws' sync drivers load with the relay, not at start-up.
    const { redis: redisSync } = await import("crossws/sync");
    const driver = redisSync({ client, channel: this.channel, connector: "ioredis" })({ id: this.id });
    return { driver, connections };
  }
}
