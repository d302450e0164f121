/**
 * The worker side of a nitrokit cluster: how a process forked by the primary talks
 * to it. Free of `node:*` imports (it reads `process` through `globalThis`), so the
 * task and WebSocket layers can ask "am I a cluster worker?" on any runtime.
 */
import { CLUSTER_WORKER_ENV, isClusterMessage, type LockOperation, type PrimaryMessage, type WorkerMessage } from "./protocol.js";

/** The slice of Node's `process` a worker uses. */
interface WorkerProcess {
  env: Record<string, string | undefined>;
  connected?: boolean;
  send?: (message: unknown, callback?: (error: Error | null) => void) => boolean;
  on(event: "message", listener: (message: unknown) => void): unknown;
}

/** The IPC channel of a worker forked by a nitrokit cluster primary. */
export interface ClusterWorkerChannel {
  /** Sends `message` to the primary; resolves once it is handed to the channel (rejects when it is closed). */
  send(message: DistributiveOmit<WorkerMessage, "nitrokit">): Promise<void>;
  /** Calls `listener` with every cluster message the primary sends; returns the function that stops. */
  onMessage(listener: (message: PrimaryMessage) => void): () => void;
  /** One operation on the primary's task lock. */
  lock(op: LockOperation, key: string, token: string, ttl: number): Promise<boolean>;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Kept on `globalThis` so that every copy of this module in a process (bundles, chunks) shares one channel. */
const CHANNEL_KEY = Symbol.for("nitrokit.cluster.worker");

/**
 * The channel to the primary when this process is a worker a nitrokit cluster forked,
 * else `undefined`. The primary marks its workers with an environment variable; the
 * IPC channel must be there too (a process that merely inherited the variable is not one).
 */
export function clusterWorker(): ClusterWorkerChannel | undefined {
  const global = globalThis as { [CHANNEL_KEY]?: ClusterWorkerChannel | null; process?: WorkerProcess };
  if (global[CHANNEL_KEY] !== undefined) return global[CHANNEL_KEY] ?? undefined;
  const proc = global.process;
  const isWorker = proc?.env?.[CLUSTER_WORKER_ENV] === "1" && typeof proc.send === "function";
  global[CHANNEL_KEY] = isWorker ? createChannel(proc) : null;
  return global[CHANNEL_KEY] ?? undefined;
}

/** Whether this process is a worker of a nitrokit cluster. */
export function isClusterWorker(): boolean {
  return clusterWorker() !== undefined;
}

function createChannel(proc: WorkerProcess): ClusterWorkerChannel {
  const listeners = new Set<(message: PrimaryMessage) => void>();
  const pendingLocks = new Map<number, { resolve: (value: boolean) => void; reject: (error: Error) => void }>();
  let nextId = 0;

  proc.on("message", (message) => {
    if (!isClusterMessage<PrimaryMessage>(message)) return;
    if (message.type === "lock-result") {
      const pending = pendingLocks.get(message.id);
      pendingLocks.delete(message.id);
      if (message.error !== undefined) pending?.reject(new Error(message.error));
      else pending?.resolve(message.value === true);
      return;
    }
    for (const listener of listeners) listener(message);
  });

  const send = (message: DistributiveOmit<WorkerMessage, "nitrokit">): Promise<void> =>
    new Promise((resolve, reject) => {
      // After the primary went away a send throws or fails asynchronously: either way, reject.
      if (proc.connected === false) return reject(new Error("[nitrokit] cluster: the channel to the primary is closed."));
      try {
        proc.send!({ ...message, nitrokit: "cluster" }, (error) => (error ? reject(error) : resolve()));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });

  return {
    send,
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    lock(op, key, token, ttl) {
      const id = ++nextId;
      return new Promise<boolean>((resolve, reject) => {
        pendingLocks.set(id, { resolve, reject });
        send({ type: "lock", id, op, key, token, ttl }).catch((error: Error) => {
          pendingLocks.delete(id);
          reject(error);
        });
      });
    },
  };
}
