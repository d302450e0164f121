import type { TaskLock } from "../../tasks/types.js";
import type { ClusterWorkerChannel } from "./worker.js";

/**
 * The task lock of a cluster worker: held in the primary's memory, asked over IPC,
 * so a scheduled tick runs on one worker only without any configuration. A call the
 * primary cannot answer (the channel closed during shutdown) rejects, and the
 * scheduler skips the tick rather than risk running it twice.
 */
export function clusterTaskLock(channel: ClusterWorkerChannel): TaskLock {
  return {
    acquire: (key, token, ttl) => channel.lock("acquire", key, token, ttl),
    release: async (key, token) => void (await channel.lock("release", key, token, 0)),
    extend: (key, token, ttl) => channel.lock("extend", key, token, ttl),
  };
}
