import { describe, expect, it, onTestFinished } from "vitest";
import { createNitroApp, type NitroApp } from "../../src/index.js";
import { defineTask, type TaskLock } from "../../src/tasks/index.js";
import { appsClosedAfterEach, sleep } from "../helpers.js";

const makeApp = appsClosedAfterEach();

/** A user-supplied lock for apps sharing one process, as the TaskLock TSDoc shows; counts its calls. */
function memoryLock(): TaskLock & { held: Map<string, { token: string; until: number }>; calls: Record<string, number>; down: boolean } {
  const held = new Map<string, { token: string; until: number }>();
  const calls: Record<string, number> = { acquire: 0, release: 0, extend: 0 };
  const lock = {
    held,
    calls,
    down: false,
    async acquire(key: string, token: string, ttl: number) {
      calls.acquire!++;
      if (lock.down) throw new Error("lock backend unreachable");
      const current = held.get(key);
      if (current && current.until > Date.now()) return false;
      held.set(key, { token, until: Date.now() + ttl });
      return true;
    },
    async release(key: string, token: string) {
      calls.release!++;
      if (lock.down) throw new Error("lock backend unreachable");
      if (held.get(key)?.token === token) held.delete(key);
    },
    async extend(key: string, token: string, ttl: number) {
      calls.extend!++;
      const current = held.get(key);
      if (current?.token !== token || current.until <= Date.now()) return false;
      current.until = Date.now() + ttl;
      return true;
    },
  };
  return lock;
}

/**
 * `count` app instances on one schedule and lock, their runs recorded as `{ instance, scheduledTime }`.
 * The tests using it run concurrently (they mostly wait for ticks), so each closes its own apps.
 */
async function instances(count: number, lock: TaskLock, run: (scheduledTime: number) => Promise<void> | void = () => {}, lockTtl?: number) {
  const runs: Array<{ instance: number; scheduledTime: number }> = [];
  const errors: string[] = [];
  const apps: NitroApp[] = [];
  for (let instance = 0; instance < count; instance++) {
    const app = createNitroApp({ scheduledTasks: { "*/1 * * * * *": ["report:build"] }, scheduler: { lock, lockTtl } });
    app.hooks.hook("error", (error, { tags }) => void errors.push(`${tags.join(",")}: ${error.message}`));
    app.task("report:build", defineTask({
      async run({ payload }) {
        runs.push({ instance, scheduledTime: payload.scheduledTime as number });
        await run(payload.scheduledTime as number);
      },
    }));
    apps.push(app);
  }
  await Promise.all(apps.map((app) => app.ready()));
  return { runs, errors, close: async () => void (await Promise.all(apps.map((app) => app.close()))) };
}

function countBy(times: number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const time of times) counts.set(time, (counts.get(time) ?? 0) + 1);
  return counts;
}

describe.concurrent("scheduler.lock with a user-supplied TaskLock", () => {
  it("three instances on one lock: each tick runs exactly once in total", async () => {
    const lock = memoryLock();
    const { runs, errors, close } = await instances(3, lock);
    onTestFinished(close);
    await sleep(3400);
    const times = runs.map((run) => run.scheduledTime).sort();
    expect(times.length).toBeGreaterThanOrEqual(3);
    expect([...countBy(times).values()].every((count) => count === 1)).toBe(true);
    // Every second between the first and last tick ran: exactly once, not at most once.
    expect(times.at(-1)! - times[0]!).toBe((times.length - 1) * 1000);
    expect(errors).toEqual([]);
    expect([...lock.held.keys()].filter((key) => key.startsWith("run:"))).toEqual([]); // released after each run
  });

  it("without a lock, the same three instances each run every tick (what the lock prevents)", async () => {
    const apps = [0, 1, 2].map(() => createNitroApp({ scheduledTasks: { "*/1 * * * * *": ["count"] } }));
    onTestFinished(async () => void (await Promise.all(apps.map((app) => app.close()))));
    const times: number[] = [];
    for (const app of apps) app.task("count", defineTask({ run: ({ payload }) => void times.push(payload.scheduledTime as number) }));
    await Promise.all(apps.map((app) => app.ready()));
    await sleep(1300);
    expect([...countBy(times).values()]).toContain(3);
  });

  it("a run still going on one instance is not started on another at the next tick", async () => {
    let running = 0;
    let maxRunning = 0;
    const { runs, close } = await instances(3, memoryLock(), async () => {
      maxRunning = Math.max(maxRunning, ++running);
      await sleep(1600);
      running--;
    });
    onTestFinished(close);
    await sleep(4300);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(maxRunning).toBe(1);
    expect(new Set(runs.map((run) => run.scheduledTime)).size).toBe(runs.length);
  });

  it("renews the run lock while a run outlasts lockTtl, so no other instance starts it meanwhile", async () => {
    const lock = memoryLock();
    let running = 0;
    let maxRunning = 0;
    const { runs, errors, close } = await instances(2, lock, async () => {
      maxRunning = Math.max(maxRunning, ++running);
      await sleep(1500);
      running--;
    }, 0.3);
    onTestFinished(close);
    await sleep(2600);
    expect(maxRunning).toBe(1);
    expect(lock.calls.extend).toBeGreaterThanOrEqual(3);
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(errors).toEqual([]);
  });

  it("a lock that is down: ticks are skipped and reported, never run; they resume when it is back", async () => {
    const lock = memoryLock();
    lock.down = true;
    const { runs, errors, close } = await instances(2, lock);
    onTestFinished(close);
    await sleep(2300);
    expect(runs).toEqual([]);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors[0]).toMatch(/^task,report:build,lock: \[nitrokit\] Task lock: skipped 'report:build' at \S+Z: the lock is unavailable: lock backend unreachable$/);
    lock.down = false;
    const back = Date.now();
    await sleep(2300);
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs.every((run) => run.scheduledTime >= back - 1000)).toBe(true);
    expect([...countBy(runs.map((run) => run.scheduledTime)).values()].every((count) => count === 1)).toBe(true);
  });

  it("a lock that never answers counts as down after its timeout (bounded by lockTtl)", async () => {
    const hanging: TaskLock = { acquire: () => new Promise(() => {}), release: async () => {} };
    const { runs, errors, close } = await instances(1, hanging, () => {}, 0.4);
    onTestFinished(close);
    await sleep(1900);
    expect(runs).toEqual([]);
    expect(errors.some((error) => /the lock is unavailable: no answer within 400 ms/.test(error))).toBe(true);
  });

  it("calls the lock's dispose() when the app closes", async () => {
    let disposed = 0;
    const lock = { ...memoryLock(), dispose: () => void disposed++ };
    const app = createNitroApp({ scheduledTasks: { "0 0 1 1 *": ["yearly"] }, scheduler: { lock } });
    app.task("yearly", defineTask({ run: () => {} }));
    await app.ready();
    await app.close();
    expect(disposed).toBe(1);
  });
});

describe("scheduler.lock config errors", () => {
  it("refuses a lock that is neither a TaskLock nor { driver: 'redis', url | storage }", () => {
    expect(() => createNitroApp({ scheduler: { lock: { acquire: async () => true } as never } })).toThrow(/scheduler\.lock: expected \{ driver: 'redis', url \| storage \} or a TaskLock object/);
    expect(() => createNitroApp({ scheduler: { lock: { driver: "redis" } } })).toThrow(/scheduler\.lock: set either url or storage/);
    expect(() => createNitroApp({ scheduler: { lock: { driver: "redis", url: "redis://x", storage: "redis" } } })).toThrow(/set either url or storage/);
    expect(() => createNitroApp({ scheduler: { lockTtl: 0 } })).toThrow(/scheduler\.lockTtl/);
  });

  it("ready() fails naming a storage mount that does not exist or is not on redis", async () => {
    const missing = makeApp({ scheduledTasks: { "0 * * * *": ["x"] }, scheduler: { lock: { driver: "redis", storage: "locks" } } });
    missing.task("x", defineTask({ run: () => {} }));
    await expect(missing.ready()).rejects.toThrow("[nitrokit] scheduler.lock.storage: no storage mount named 'locks'. Add it under `storage` with driver 'redis'.");
    const memory = makeApp({ storage: { locks: { driver: "memory" } }, scheduledTasks: { "0 * * * *": ["x"] }, scheduler: { lock: { driver: "redis", storage: "locks" } } });
    memory.task("x", defineTask({ run: () => {} }));
    await expect(memory.ready()).rejects.toThrow(/mount 'locks' uses driver 'memory'; the task lock needs one on 'redis'/);
  });
});
