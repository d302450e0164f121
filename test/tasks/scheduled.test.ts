import { afterEach, describe, expect, it } from "vitest";
import { createNitroApp, type NitroApp } from "../../src/index.js";
import { defineTask } from "../../src/tasks/index.js";
import { sleep } from "../helpers.js";

const apps: NitroApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

describe("scheduledTasks", () => {
  it("runs on the cron schedule (seconds field), with scheduledTime computed per tick", async () => {
    const ticks: number[] = [];
    const app = createNitroApp({ scheduledTasks: { "* * * * * *": ["health:check"] } });
    apps.push(app);
    app.task("health:check", defineTask({ run: ({ payload }) => void ticks.push(payload.scheduledTime as number) }));
    await app.ready();
    await sleep(2300);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(new Set(ticks).size).toBe(ticks.length);
    for (const tick of ticks) expect(tick % 1000).toBe(0); // on the second boundary
    expect(ticks[1]! - ticks[0]!).toBe(1000);
  });

  it("never overlaps a still-running run of the same task", async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const app = createNitroApp({ scheduledTasks: { "* * * * * *": "slow:job" } });
    apps.push(app);
    app.task("slow:job", defineTask({
      async run() {
        runs++;
        maxRunning = Math.max(maxRunning, ++running);
        await sleep(1500);
        running--;
      },
    }));
    await app.ready();
    await sleep(3300);
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(runs).toBeLessThanOrEqual(2);
    expect(maxRunning).toBe(1);
  });

  it("stops on close(): no run after it", async () => {
    let runs = 0;
    const app = createNitroApp({ scheduledTasks: { "* * * * * *": ["count"] } });
    app.task("count", defineTask({ run: () => void runs++ }));
    await app.ready();
    await app.close();
    await sleep(1200);
    expect(runs).toBe(0);
  });

  it("reports failures of a scheduled run to the error hook and keeps the schedule", async () => {
    const errors: string[] = [];
    const app = createNitroApp({ scheduledTasks: { "* * * * * *": ["flaky"] } });
    apps.push(app);
    app.hooks.hook("error", (error, { tags }) => void errors.push(`${tags.join(",")}:${error.message}`));
    app.task("flaky", defineTask({ run: () => { throw new Error("nope"); } }));
    await app.ready();
    await sleep(2300);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors[0]).toBe("task,flaky:nope");
  });

  it("refuses a bad cron expression at creation and unknown task names at ready()", async () => {
    expect(() => createNitroApp({ scheduledTasks: { "every minute": ["x"] } })).toThrow(/scheduledTasks\['every minute'\]: not a cron expression/);
    const app = createNitroApp({ scheduledTasks: { "0 * * * *": ["db:backup", "logs:rotate"] } });
    apps.push(app);
    app.task("db:backup", defineTask({ run: () => {} }));
    await expect(app.ready()).rejects.toThrow(/not registered: logs:rotate/);
  });
});
