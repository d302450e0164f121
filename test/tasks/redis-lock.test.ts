import net from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createNitroApp, type NitroApp, type NitroConfig } from "../../src/index.js";
import { defineTask } from "../../src/tasks/index.js";
import { sleep } from "../helpers.js";
import { describeWithService, uniqueName } from "../fixtures/services.js";

type Run = { instance: number; task: string; scheduledTime: number; startedAt: number };

/**
 * `count` app instances in this process, each with its own config (lock, storage), all on
 * the per-second schedule `schedule`; every run is recorded. Close them with `close()`.
 */
async function instances(count: number, config: (instance: number) => NitroConfig, schedule: Record<string, string[]>) {
  const runs: Run[] = [];
  const errors: string[] = [];
  const apps: NitroApp[] = [];
  for (let instance = 0; instance < count; instance++) {
    const app = createNitroApp({ scheduledTasks: schedule, ...config(instance) });
    app.hooks.hook("error", (error, { tags }) => void errors.push(`${tags.join(",")}: ${error.message}`));
    for (const task of new Set(Object.values(schedule).flat())) {
      app.task(task, defineTask({ run: ({ payload }) => void runs.push({ instance, task, scheduledTime: payload.scheduledTime as number, startedAt: Date.now() }) }));
    }
    apps.push(app);
  }
  await Promise.all(apps.map((app) => app.ready()));
  return { runs, errors, close: () => Promise.all(apps.map((app) => app.close())) };
}

const timesOf = (runs: Run[], task = "report:build") => runs.filter((run) => run.task === task).map((run) => run.scheduledTime).sort();
const everyOnce = (times: number[]) => new Set(times).size === times.length;
const EVERY_SECOND = "*/1 * * * * *";

describeWithService("REDIS", "scheduled tasks on a real Redis lock, three instances", (url) => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(url);
  });
  afterAll(async () => {
    const keys = await redis.keys("nitrokit_tasklock_*");
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it.concurrent("each scheduledTime runs exactly once in total across three instances", async () => {
    const prefix = `${uniqueName("nitrokit_tasklock")}:`;
    const { runs, errors, close } = await instances(3, () => ({ scheduler: { lock: { driver: "redis", url, prefix } } }), { [EVERY_SECOND]: ["report:build"] });
    await sleep(4400);
    await close();
    const times = timesOf(runs);
    expect(times.length).toBeGreaterThanOrEqual(4);
    expect(everyOnce(times)).toBe(true);
    expect(times.at(-1)! - times[0]!).toBe((times.length - 1) * 1000); // no tick lost either
    expect(errors).toEqual([]);
    // Each run left its tick claim (with a TTL) and released its run lock.
    for (const time of times) expect(await redis.pttl(`${prefix}tick:report:build:${time}`)).toBeGreaterThan(60_000);
    expect(await redis.exists(`${prefix}run:report:build`)).toBe(0);
  });

  it.concurrent("shares the connection of a redis storage mount ({ storage }), keys under the mount's base", async () => {
    const base = uniqueName("nitrokit_tasklock");
    const { runs, errors, close } = await instances(
      3,
      () => ({ storage: { locks: { driver: "redis", url, base } }, scheduler: { lock: { driver: "redis", storage: "locks" } } }),
      { [EVERY_SECOND]: ["report:build"] },
    );
    await sleep(3300);
    const times = timesOf(runs);
    expect(times.length).toBeGreaterThanOrEqual(2);
    expect(everyOnce(times)).toBe(true);
    expect(errors).toEqual([]);
    expect(await redis.exists(`${base}:nitrokit:tasks:tick:report:build:${times[0]}`)).toBe(1);
    await close();
  });

  it.concurrent("a crashed holder's run lock delays the task until its TTL runs out, not forever", async () => {
    const prefix = `${uniqueName("nitrokit_tasklock")}:`;
    // What an instance that died mid-run leaves behind: a run lock nobody will release.
    const setAt = Date.now();
    await redis.set(`${prefix}run:report:build`, "crashed-instance:0", "PX", 3000);
    const { runs, errors, close } = await instances(3, () => ({ scheduler: { lock: { driver: "redis", url, prefix } } }), { [EVERY_SECOND]: ["report:build"] });
    const firstTick = Math.ceil(Date.now() / 1000) * 1000;
    await sleep(setAt + 5200 - Date.now());
    await close();
    const times = timesOf(runs);
    expect(times.length).toBeGreaterThanOrEqual(1); // resumed
    // Nothing started while the stale lock lived (Redis expires it 3 s after it was set, not before setAt + 3 s).
    for (const run of runs) expect(run.startedAt).toBeGreaterThanOrEqual(setAt + 3000);
    expect(everyOnce(times)).toBe(true);
    expect(errors).toEqual([]);
    // The ticks it blocked were claimed (so they will never run late elsewhere) but not run.
    expect(firstTick).toBeLessThan(setAt + 2000);
    expect(await redis.exists(`${prefix}tick:report:build:${firstTick}`)).toBe(1);
    expect(times).not.toContain(firstTick);
  });

  it.concurrent("different tick keys don't block each other: a claimed tick blocks that task at that time only", async () => {
    const prefix = `${uniqueName("nitrokit_tasklock")}:`;
    const taken = Math.ceil(Date.now() / 1000) * 1000 + 2000;
    await redis.set(`${prefix}tick:report:build:${taken}`, "elsewhere", "PX", 60_000);
    const { runs, close } = await instances(3, () => ({ scheduler: { lock: { driver: "redis", url, prefix } } }), {
      [EVERY_SECOND]: ["report:build", "cache:clear"],
    });
    await sleep(taken + 1500 - Date.now());
    await close();
    const builds = timesOf(runs);
    const clears = timesOf(runs, "cache:clear");
    expect(builds).not.toContain(taken);
    expect(builds).toContain(taken - 1000);
    expect(builds).toContain(taken + 1000);
    expect(clears).toContain(taken); // another task's claim at the same time is another key
    expect(everyOnce(builds) && everyOnce(clears)).toBe(true);
  });

  it.concurrent("Redis unreachable: ticks are skipped and reported, never run; they resume once it is back", async () => {
    const prefix = `${uniqueName("nitrokit_tasklock")}:`;
    const proxy = await tcpProxy(new URL(url));
    const viaProxy = new URL(url);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    const { runs, errors, close } = await instances(2, () => ({ scheduler: { lock: { driver: "redis", url: viaProxy.href, prefix } } }), {
      [EVERY_SECOND]: ["report:build"],
    });
    try {
      await sleep(1600);
      expect(runs.length).toBeGreaterThanOrEqual(1);
      await proxy.stop();
      const down = Date.now();
      await sleep(2200);
      await proxy.start();
      const up = Date.now();
      await sleep(2800);
      const times = timesOf(runs);
      expect(runs.filter((run) => run.startedAt > down + 50 && run.startedAt < up)).toEqual([]);
      expect(times.filter((time) => time > up)).not.toEqual([]);
      expect(everyOnce(times)).toBe(true);
      expect(errors.length).toBeGreaterThanOrEqual(2);
      for (const error of errors) expect(error).toMatch(/^task,report:build,lock: \[nitrokit\] Task lock: skipped 'report:build' at \S+: the lock is unavailable: /);
    } finally {
      await close();
      await proxy.stop();
    }
  });
});

/** A TCP forwarder to `target` on a fixed loopback port, to take "the network to Redis" down and up. */
async function tcpProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const start = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 6379), target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
          socket.on("error", () => {});
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, "127.0.0.1", () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const stop = async () => {
    for (const socket of sockets) socket.destroy();
    if (server?.listening) await new Promise((resolve) => server!.close(resolve));
  };
  await start();
  return { port, start, stop };
}
