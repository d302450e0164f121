import type { Storage } from "unstorage";
import type { NitroRedisTaskLockConfig } from "./config-types.js";
import type { RedisLockClient } from "./redis-lock.js";
import type { TaskLock } from "./types.js";
import { clusterTaskLock } from "../server/cluster/task-lock.js";
import { clusterWorker } from "../server/cluster/worker.js";
import { loadedDriver } from "../storage/lazy-driver.js";

/** True for a user-supplied lock object rather than a config for one of nitrokit's. */
export function isTaskLock(value: unknown): value is TaskLock {
  const lock = value as Partial<TaskLock> | null;
  return typeof lock === "object" && lock !== null && typeof lock.acquire === "function" && typeof lock.release === "function";
}

/**
 * The lock `scheduler.lock` describes, once storage is mounted (in `ready()`): the object
 * itself, a connection of its own to `url`, or the connection of the redis storage mount
 * named by `storage`; without one, in a worker of a nitrokit cluster, the primary's lock
 * (over IPC). Throws, naming the mount, when that mount is missing or not on Redis.
 */
export async function resolveTaskLock(config: NitroRedisTaskLockConfig | TaskLock | undefined, storage: Storage): Promise<TaskLock | undefined> {
  if (config === undefined) {
    // In a cluster's worker the primary holds the lock, so each tick runs on one worker.
    const worker = clusterWorker();
    return worker && clusterTaskLock(worker);
  }
  if (isTaskLock(config)) return config;
  // The Redis lock's module loads with a schedule that uses it, not at start-up.
  const { DEFAULT_LOCK_PREFIX, connectRedisTaskLock, createRedisTaskLock } = await import("./redis-lock.js");
  if (config.url !== undefined) return connectRedisTaskLock(config.url, config.prefix);
  const name = config.storage!.replace(/:$/, "");
  const mount = storage.getMount(`${name}:`);
  const driver = mount.base === `${name}:` ? mount.driver : undefined;
  if (!driver) {
    throw new Error(`[nitrokit] scheduler.lock.storage: no storage mount named '${name}'. Add it under \`storage\` with driver 'redis'.`);
  }
  if (driver.name !== "redis" || typeof driver.getInstance !== "function") {
    throw new Error(`[nitrokit] scheduler.lock.storage: mount '${name}' uses driver '${driver.name ?? "unknown"}'; the task lock needs one on 'redis' (atomic set-if-absent).`);
  }
  const base = String((driver.options as { base?: string } | undefined)?.base ?? "").replace(/:$/, "");
  const prefix = config.prefix ?? (base ? `${base}:${DEFAULT_LOCK_PREFIX}` : DEFAULT_LOCK_PREFIX);
  // A mount's Redis client exists once its driver has loaded (on first use): load it now.
  const client = (await loadedDriver(driver)).getInstance!() as RedisLockClient;
  return createRedisTaskLock(client, { prefix });
}
