/** What a task's `run` receives. */
export interface TaskEvent<P = Record<string, unknown>> {
  /** The name it was run under (`db:migrate`). */
  name: string;
  payload: P;
  /** Free-form context from the caller (the scheduler passes none, HTTP callers their own). */
  context: Record<string, unknown>;
}

/** A task, as `defineTask` returns it. */
export interface Task<R = unknown, P = Record<string, unknown>> {
  meta?: { name?: string; description?: string };
  run(event: TaskEvent<P>): R | Promise<R>;
}

/** Options of `runTask`. */
export interface RunTaskOptions<P = Record<string, unknown>> {
  payload?: P;
  context?: Record<string, unknown>;
}

/**
 * A shared lock the scheduler uses so that, with several instances of an app, each
 * scheduled tick runs on exactly one of them. nitrokit ships one on Redis
 * (`scheduler.lock: { driver: "redis", url }`, or `createRedisTaskLock(client)`);
 * implement this interface to plug in another backend (PostgreSQL advisory locks,
 * etcd, DynamoDB conditional writes, …).
 *
 * Keys the scheduler asks for (your implementation may namespace them further):
 * - `tick:<task>:<scheduledTime>`: the claim on one tick. Taken once and never
 *   released, so an instance that reaches the tick late cannot run it again.
 * - `run:<task>`: held while the task runs, so a run still going on one instance
 *   is not started on another at the next tick. Released when the run ends; a
 *   crashed holder's lock expires after its TTL.
 *
 * Every method must be atomic on the backend. A method that rejects (backend down,
 * timeout) makes the scheduler skip the tick and report it to the `error` hook: a
 * tick is never run twice, at worst not at all.
 *
 * @example
 * // A lock for apps that share one process (tests, workers in one isolate).
 * const held = new Map<string, { token: string; until: number }>();
 * const memoryLock: TaskLock = {
 *   async acquire(key, token, ttl) {
 *     const current = held.get(key);
 *     if (current && current.until > Date.now()) return false;
 *     held.set(key, { token, until: Date.now() + ttl });
 *     return true;
 *   },
 *   async release(key, token) {
 *     if (held.get(key)?.token === token) held.delete(key);
 *   },
 * };
 */
export interface TaskLock {
  /**
   * Takes `key` for `ttl` milliseconds, recording `token` as the holder, **only if
   * nobody holds it** (an expired hold counts as free). Resolves `true` when taken,
   * `false` when someone else holds it.
   */
  acquire(key: string, token: string, ttl: number): Promise<boolean>;
  /** Gives `key` back, but only if it is still held under `token` (never someone else's hold). */
  release(key: string, token: string): Promise<void>;
  /**
   * Optional: pushes the expiry of `key`, still held under `token`, to `ttl`
   * milliseconds from now; resolves `false` when the hold was lost. The scheduler
   * calls it while a run lasts, so runs longer than the TTL keep their lock.
   * Without it a run holds its lock for one TTL only.
   */
  extend?(key: string, token: string, ttl: number): Promise<boolean>;
  /** Optional: called when the app closes (close connections the lock opened itself). */
  dispose?(): void | Promise<void>;
}
