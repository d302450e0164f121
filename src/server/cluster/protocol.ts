/**
 * The messages a nitrokit cluster's primary and its workers exchange over IPC.
 * Every message carries `nitrokit: "cluster"` so it is told apart from the user's
 * own `process.send()` traffic and from crossws' relay envelopes.
 */

/** The environment variable the primary sets on the workers it forks. */
export const CLUSTER_WORKER_ENV = "NITROKIT_CLUSTER_WORKER";

/** Operations on the primary's task lock (see `TaskLock`). */
export type LockOperation = "acquire" | "release" | "extend";

/** Worker → primary. */
export type WorkerMessage =
  | { nitrokit: "cluster"; type: "listening"; url: string; port: number | undefined }
  | { nitrokit: "cluster"; type: "failed"; message: string; exitCode: number }
  | { nitrokit: "cluster"; type: "lock"; id: number; op: LockOperation; key: string; token: string; ttl: number };

/** Primary → worker. */
export type PrimaryMessage =
  | { nitrokit: "cluster"; type: "shutdown" }
  | { nitrokit: "cluster"; type: "lock-result"; id: number; value?: boolean; error?: string };

/** Whether an IPC message is one of nitrokit's cluster messages. */
export function isClusterMessage<T extends WorkerMessage | PrimaryMessage>(message: unknown): message is T {
  return typeof message === "object" && message !== null && (message as { nitrokit?: unknown }).nitrokit === "cluster";
}
