import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: the example is plain JavaScript, as a user would write it.
import { createTasksApp } from "../../examples/tasks/app.mjs";
import type { NitroApp } from "../../src/index.js";
import type { NitroNodeServer } from "../../src/adapters/node.js";
import { describeWithService } from "../fixtures/services.js";
import { json, serveOnLoopback } from "../helpers.js";

const token = "example-token-0123456789abcdef";
const auth = { authorization: `Bearer ${token}` };

describe("examples/tasks over real HTTP", () => {
  let app: NitroApp;
  let server: NitroNodeServer;
  let base: string;
  const logged: unknown[][] = [];

  beforeAll(async () => {
    app = createTasksApp({ token, stepDelay: 5, log: (...args: unknown[]) => void logged.push(args) }) as NitroApp;
    ({ server, base } = await serveOnLoopback(app));
  });
  afterAll(() => server.close());

  it("lists the tasks and the schedule, each line in its time zone", async () => {
    expect((await fetch(`${base}/_nitro/tasks`)).status).toBe(401);
    const { tasks, scheduledTasks } = await (await fetch(`${base}/_nitro/tasks`, { headers: auth })).json();
    expect(tasks).toEqual({
      "db:migrate": { description: "Run database migrations" },
      "reports:weekly": { description: "Build the weekly report" },
    });
    expect(scheduledTasks.map(({ nextRun: _, ...line }: { nextRun: string }) => line)).toEqual([
      { cron: "30 2 * * *", tasks: ["db:migrate"], timezone: "Europe/Paris" },
      { cron: "0 9 * * 1", tasks: ["reports:weekly"], timezone: "America/New_York" },
    ]);
    // 02:30 in Paris is 00:30 or 01:30 UTC; 09:00 in New York is 13:00 or 14:00 UTC, on a Monday.
    expect(scheduledTasks[0].nextRun).toMatch(/T0[01]:30:00\.000Z$/);
    expect(scheduledTasks[1].nextRun).toMatch(/T1[34]:00:00\.000Z$/);
    expect(new Date(scheduledTasks[1].nextRun).getUTCDay()).toBe(1);
  });

  it("runs the seed's db:migrate through the endpoint with the token, and from the admin route", async () => {
    const run = await fetch(`${base}/_nitro/tasks/db:migrate`, json({ triggeredBy: "curl" }, "POST", auth));
    expect(await run.json()).toEqual({
      success: true,
      migrationsRun: 3,
      results: [
        { migration: "001_users", status: "success" },
        { migration: "002_posts", status: "success" },
        { migration: "003_comments", status: "success" },
      ],
    });
    expect(logged).toContainEqual(["Payload:", { triggeredBy: "curl" }]);
    expect((await fetch(`${base}/_nitro/tasks/db:migrate`, { method: "POST", headers: { authorization: "Bearer guess-guess-guess" } })).status).toBe(403);
    expect((await fetch(`${base}/api/admin/migrate`, { method: "POST" })).status).toBe(403);
    const admin = await (await fetch(`${base}/api/admin/migrate`, { method: "POST", headers: { "x-admin": "yes" } })).json();
    expect(admin).toMatchObject({ taskCompleted: true, result: { success: true, migrationsRun: 3 } });
  });

  it("refuses to start without a token: the endpoint would run any task for anyone", () => {
    expect(() => createTasksApp({})).toThrow(/tasksEndpoint: the tasks endpoint runs any task/);
  });
});

describeWithService("REDIS", "examples/tasks with REDIS_URL (schedule shared through a Redis lock)", (url) => {
  it("starts with the lock connected and closes cleanly", async () => {
    const app = createTasksApp({ token, redisUrl: url, log: () => {} }) as NitroApp;
    await app.ready();
    expect((await app.fetch(new Request("http://localhost/_nitro/tasks", { headers: auth }))).status).toBe(200);
    await app.close();
  });
});
