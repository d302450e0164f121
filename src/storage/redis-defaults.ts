import type { Driver } from "unstorage";

/**
 * ioredis' defaults suit a script, not a server: while Redis is unreachable it queues
 * every command and retries it up to 20 reconnections (about 10 s) before failing, so
 * each request that touches the cache waits that long and the queue grows without
 * bound. A mount on the `redis` driver gets these instead (its own options win):
 *
 * - `enableOfflineQueue: false`: a command sent while disconnected fails at once;
 * - `connectTimeout: 1000`: a connection attempt that hangs is given up after a second;
 * - `maxRetriesPerRequest: 1`: a command caught by a dropped connection is retried once;
 * - `commandTimeout: 1000`: a command left unanswered fails after a second. A Redis that goes
 *   quiet on an open connection (stopped, overloaded, behind a network that drops packets
 *   without a reset) raises no error in ioredis, so without it each such command, and the
 *   request awaiting it, would wait forever. A late reply is still matched to its command, so
 *   the connection stays usable; a mount that runs slow commands on purpose sets its own;
 * - `preConnect: true`: connect as soon as the driver is created (on the mount's first use),
 *   so the load can wait for the connection before the first command, which without the
 *   offline queue would fail while the connection is being made.
 *
 * ioredis still reconnects in the background (every 2 s at most), so the mount works
 * again as soon as Redis is back.
 */
export const REDIS_SERVER_DEFAULTS: Readonly<Record<string, unknown>> = {
  enableOfflineQueue: false,
  connectTimeout: 1000,
  maxRetriesPerRequest: 1,
  commandTimeout: 1000,
  preConnect: true,
};

/** The subset of an ioredis client `awaitRedisReady` uses. */
interface RedisClientLike {
  status: string;
  once(event: "ready" | "end" | "error", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  off(event: "ready" | "end" | "error", listener: () => void): unknown;
}

/**
 * Waits (at most `timeout` ms) for a Redis mount's first connection, as part of loading its
 * driver on first use, so the first commands do not meet a connection still being made. Never
 * fails: Redis being down then makes the mount unavailable (the cache degrades to calling
 * through), not the app. Connection errors get a listener, so ioredis does not print one "Unhandled error
 * event" per reconnection attempt; commands still fail where they are used.
 */
export async function awaitRedisReady(mount: string, driver: Driver, timeout: number): Promise<void> {
  const client = (driver.getInstance as (() => RedisClientLike) | undefined)?.();
  if (!client || typeof client.once !== "function") return;
  let lastError: Error | undefined;
  client.on("error", (error) => {
    lastError = error;
  });
  if (client.status === "ready") return;
  let done!: () => void;
  const settled = new Promise<void>((resolve) => (done = resolve));
  const timer = setTimeout(done, timeout);
  // A refused connection will not turn ready within the wait: stop at the first error.
  const events = ["ready", "end", "error"] as const;
  for (const event of events) client.once(event, done);
  await settled;
  clearTimeout(timer);
  for (const event of events) client.off(event, done);
  if (client.status !== "ready") {
    console.warn(
      `[nitrokit] Storage mount '${mount}': Redis is not reachable (${lastError?.message ?? "no answer"}); ` +
        "the app serves without it (caches call through) and reconnects in the background.",
    );
  }
}
