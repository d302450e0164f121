import type { TaskLock } from "./types.js";

/** A lock backend that answers slower than this is treated as down (the tick is skipped). */
const LOCK_CALL_TIMEOUT_MS = 5_000;
/** Tick claims are kept at least this long: an instance that reaches a tick later than that skips it. */
const MIN_CLAIM_TTL_MS = 10 * 60_000;

/** A run this instance holds the task's lock for; `end()` once it finished. */
export interface HeldRun {
  end(): Promise<void>;
}

/**
 * Decides, with a lock every instance shares, which instance runs a scheduled tick:
 *
 * 1. claim `tick:<task>:<scheduledTime>` (never released: a late instance finds it taken);
 * 2. take `run:<task>` for `ttl` (so a run still going elsewhere is not started again),
 *    renewed every `ttl / 3` while the run lasts and released when it ends; a crashed
 *    holder's lock expires after `ttl`.
 *
 * A lock call that fails or times out rejects: the caller skips the tick and reports it.
 */
export class TickGuard {
  readonly #lock: TaskLock;
  readonly #ttl: number;
  readonly #claimTtl: number;
  readonly #report: (error: Error, task: string) => void;
  /** Tells this instance's holds apart from other instances'. */
  readonly #instance = globalThis.crypto.randomUUID();

  /**
   * @param ttl how long a run's lock lives without renewal, in ms.
   * @param report where lock trouble during a run goes (lost hold, failed release).
   */
  constructor(lock: TaskLock, ttl: number, report: (error: Error, task: string) => void) {
    this.#lock = lock;
    this.#ttl = ttl;
    this.#claimTtl = Math.max(ttl, MIN_CLAIM_TTL_MS);
    this.#report = report;
  }

  /** How late an instance may reach a tick and still try to claim it (half the claim's life). */
  get lateLimit(): number {
    return this.#claimTtl / 2;
  }

  /** Claims the tick and the task's run lock; `null` when another instance has either. */
  async claim(task: string, scheduledTime: number): Promise<HeldRun | null> {
    const token = `${this.#instance}:${scheduledTime}`;
    if (!(await this.#call(this.#lock.acquire(`tick:${task}:${scheduledTime}`, token, this.#claimTtl)))) return null;
    const runKey = `run:${task}`;
    try {
      if (!(await this.#call(this.#lock.acquire(runKey, token, this.#ttl)))) return null;
    } catch (error) {
      // A timed-out acquire may still land: give back whatever it took rather than block for a TTL.
      Promise.resolve().then(() => this.#lock.release(runKey, token)).catch(() => {});
      throw error;
    }
    const stopRenewing = this.#renew(task, runKey, token);
    return {
      end: async () => {
        stopRenewing();
        try {
          await this.#call(this.#lock.release(runKey, token));
        } catch (error) {
          this.#report(lockError(`could not release the lock of '${task}'; it expires after ${this.#ttl / 1000}s`, error), task);
        }
      },
    };
  }

  async dispose(): Promise<void> {
    await this.#lock.dispose?.();
  }

  /** Renews the run lock while the run lasts; a lost hold is reported once. */
  #renew(task: string, key: string, token: string): () => void {
    const extend = this.#lock.extend?.bind(this.#lock);
    if (!extend) return () => {};
    let stopped = false;
    const timer = setInterval(() => {
      this.#call(extend(key, token, this.#ttl)).then(
        (held) => {
          if (held || stopped) return;
          stopped = true;
          clearInterval(timer);
          this.#report(lockError(`'${task}' lost its run lock while running (it was held past its TTL); another instance may start it`), task);
        },
        // The backend may be back before the TTL runs out: keep trying, say nothing yet.
        () => {},
      );
    }, Math.max(Math.floor(this.#ttl / 3), 100));
    (timer as { unref?: () => void }).unref?.();
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }

  #call<T>(operation: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = Math.min(LOCK_CALL_TIMEOUT_MS, this.#ttl);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${limit} ms`)), limit);
    });
    return Promise.race([operation, timeout]).finally(() => clearTimeout(timer));
  }
}

/** An error about the task lock, with the backend's own error as its cause. */
export function lockError(message: string, cause?: unknown): Error {
  const detail = cause instanceof Error ? `: ${cause.message}` : cause === undefined ? "" : `: ${String(cause)}`;
  return new Error(`[nitrokit] Task lock: ${message}${detail}`, cause === undefined ? undefined : { cause });
}
