import type { TaskLock } from "./types.js";
import { importOptional } from "../platform/optional-import.js";

/** The part of an ioredis client (`Redis` or `Cluster`) the lock uses. */
export interface RedisLockClient {
  set(key: string, value: string, px: "PX", ttl: number, nx: "NX"): Promise<"OK" | null>;
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

// Compare-and-delete / compare-and-expire: only the holder's token may end or extend a hold.
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

/** Default key prefix of the Redis task lock. */
export const DEFAULT_LOCK_PREFIX = "nitrokit:tasks:";

/**
 * A {@link TaskLock} on Redis: `SET key token NX PX ttl` to acquire, Lua
 * compare-and-delete to release, compare-and-`PEXPIRE` to extend. The client stays
 * yours (the lock never closes it).
 *
 * @example
 * import Redis from "ioredis";
 * import { createRedisTaskLock } from "nitrokit/task";
 * const app = createNitroApp({
 *   scheduledTasks: { "0 * * * *": ["db:backup"] },
 *   scheduler: { lock: createRedisTaskLock(new Redis(process.env.REDIS_URL!), { prefix: "shop:tasks:" }) },
 * });
 */
export function createRedisTaskLock(client: RedisLockClient, options: { prefix?: string } = {}): TaskLock {
  const prefix = options.prefix ?? DEFAULT_LOCK_PREFIX;
  return {
    async acquire(key, token, ttl) {
      return (await client.set(prefix + key, token, "PX", Math.ceil(ttl), "NX")) === "OK";
    },
    async release(key, token) {
      await client.eval(RELEASE, 1, prefix + key, token);
    },
    async extend(key, token, ttl) {
      return Number(await client.eval(EXTEND, 1, prefix + key, token, Math.ceil(ttl))) === 1;
    },
  };
}

/** How long start-up waits for a fresh connection before the first ticks (which then report if it is not there). */
const CONNECT_WAIT_MS = 2_000;

/**
 * Opens a connection of its own to `url` (ioredis, a peer dependency) and wraps it in a
 * Redis task lock that closes it on dispose. Commands fail at once while the connection
 * is down (no offline queue), so a tick is skipped and reported rather than left waiting;
 * ioredis reconnects in the background and ticks resume.
 */
export async function connectRedisTaskLock(url: string, prefix?: string): Promise<TaskLock> {
  let Redis: typeof import("ioredis").Redis;
  try {
    // By a computed name, so bundles (`nitrokit build`, wrangler) leave the optional client out.
    ({ Redis } = await importOptional<typeof import("ioredis")>("ioredis"));
  } catch (error) {
    throw new Error("[nitrokit] scheduler.lock: the redis lock needs the `ioredis` package (npm install ioredis).", { cause: error });
  }
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  // Connection errors surface as failed ticks (reported there); ioredis would log each retry otherwise.
  client.on("error", () => {});
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, CONNECT_WAIT_MS);
    client.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return {
    ...createRedisTaskLock(client, { prefix }),
    async dispose() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
