import type { Hooks, SyncAdapter } from "crossws";

/** A WebSocket route's hooks (crossws): `upgrade`, `open`, `message`, `close`, `error`, … */
export type WebSocketHooks = Hooks;

/** Relays `peer.publish()` to the app's other instances over Redis pub/sub (ioredis). */
export interface RedisWebSocketPubSub {
  driver: "redis";
  /** `redis://…` URL. Default: `REDIS_URL` from the environment, else `redis://127.0.0.1:6379`. */
  url?: string;
  /** The pub/sub channel instances share. Default `"nitrokit:ws"`; give each app its own when several share one Redis. */
  channel?: string;
}

/**
 * Cross-instance pub/sub for WebSocket topics: Redis by URL, or any crossws sync
 * adapter (`crossws/sync`: `pgsql`, `cluster`, `broadcastChannel`, or your own).
 */
export type WebSocketPubSubConfig = RedisWebSocketPubSub | SyncAdapter;

/** `websocket` in the app config. */
export interface NitroWebSocketConfig {
  /**
   * Largest message a peer may send, in bytes. A larger one closes the connection
   * with code 1009 (message too big).
   * @default 1_048_576 (1 MiB)
   */
  maxMessageSize?: number;
  /**
   * Seconds a peer may stay silent (no message, no pong to the server's heartbeat
   * ping) before it is dropped. `0` turns the heartbeat off.
   * @default 30
   */
  idleTimeout?: number;
  /**
   * Browser origins (`https://app.example.com`) allowed to open WebSockets besides
   * the app's own; `"*"` allows any. A handshake whose `Origin` is another site gets
   * `403`: browsers send cookies with it, so any page could otherwise connect as its
   * visitor. Clients that send no `Origin` (servers, CLIs) are not affected.
   * @default [] (same origin only)
   */
  allowedOrigins?: string[] | "*";
  /**
   * Makes `peer.publish(topic, …)` reach subscribers connected to other instances.
   * Each instance delivers its own messages locally and ignores their echo.
   */
  pubsub?: WebSocketPubSubConfig;
}

/** Default message size limit, the same as the request body limit. */
export const DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;
