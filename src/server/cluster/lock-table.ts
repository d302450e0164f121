import type { LockOperation } from "./protocol.js";

/** Expired holds are swept after this many acquisitions (tick claims are never released, only expire). */
const SWEEP_EVERY = 256;

interface Hold {
  token: string;
  until: number;
  owner: number;
}

/**
 * The primary's lock table, which backs every worker's task lock: atomic by
 * construction (one process, one event loop), keyed like the scheduler's keys.
 */
export class LockTable {
  readonly #holds = new Map<string, Hold>();
  #acquisitions = 0;

  /** Applies one worker's lock operation; `owner` is the worker's id. */
  apply(op: LockOperation, key: string, token: string, ttl: number, owner: number, now = Date.now()): boolean {
    const hold = this.#holds.get(key);
    const live = hold !== undefined && hold.until > now;
    switch (op) {
      case "acquire": {
        if (++this.#acquisitions % SWEEP_EVERY === 0) this.#sweep(now);
        if (live) return false;
        this.#holds.set(key, { token, until: now + ttl, owner });
        return true;
      }
      case "release": {
        if (hold?.token === token) this.#holds.delete(key);
        return true;
      }
      case "extend": {
        if (!live || hold.token !== token) return false;
        hold.until = now + ttl;
        return true;
      }
    }
  }

  /**
   * A worker died: its run locks are given back at once, so the task's next tick need not
   * wait out the TTL. Its tick claims stay, so a tick it claimed is not run a second time.
   */
  releaseOwner(owner: number): void {
    for (const [key, hold] of this.#holds) if (hold.owner === owner && !key.startsWith("tick:")) this.#holds.delete(key);
  }

  get size(): number {
    return this.#holds.size;
  }

  #sweep(now: number): void {
    for (const [key, hold] of this.#holds) if (hold.until <= now) this.#holds.delete(key);
  }
}
