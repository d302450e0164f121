import { afterEach, describe, expect, it, vi } from "vitest";
import { createNitroApp, type NitroApp } from "../../src/index.js";
import { createError, defineHandler } from "../../src/h3.js";
import { useStorage } from "../../src/storage/index.js";
import { defineTask, listTasks, runTask } from "../../src/tasks/index.js";
import { sleep } from "../helpers.js";

const apps: NitroApp[] = [];
function makeApp(): NitroApp {
  const app = createNitroApp({ storage: { data: { driver: "memory" } } });
  apps.push(app);
  return app;
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  vi.restoreAllMocks();
});

// The seed's tasks/db/migrate.ts, with shorter steps.
const migrate = defineTask({
  meta: { name: "db:migrate", description: "Run database migrations" },
  async run({ payload }) {
    const migrations = ["001_users", "002_posts", "003_comments"];
    const results = [];
    for (const migration of migrations) {
      await sleep(5);
      results.push({ migration, status: "success" });
    }
    return { success: true, migrationsRun: results.length, results, payload };
  },
});

describe("tasks", () => {
  it("runs the seed's migrate task from an admin route, and lists tasks", async () => {
    const app = makeApp().task("db:migrate", migrate);
    app.use((event) => void (event.context.auth = { isAdmin: event.req.headers.get("authorization") === "Bearer admin" }));
    app.post("/api/admin/migrate", defineHandler(async (event) => {
      if (!(event.context.auth as { isAdmin: boolean }).isAdmin) throw createError({ statusCode: 403, message: "Forbidden" });
      const payload = { triggeredBy: "admin" };
      const result = await runTask("db:migrate", { payload });
      return { taskCompleted: true, result };
    }));
    const forbidden = await app.fetch(new Request("http://localhost/api/admin/migrate", { method: "POST" }));
    expect(forbidden.status).toBe(403);
    const ok = await app.$fetch<{ taskCompleted: boolean; result: { migrationsRun: number; payload: unknown } }>("/api/admin/migrate", {
      method: "POST",
      headers: { authorization: "Bearer admin" },
    });
    expect(ok.taskCompleted).toBe(true);
    expect(ok.result).toMatchObject({ success: true, migrationsRun: 3, payload: { triggeredBy: "admin" } });
    expect(await listTasks()).toEqual({ "db:migrate": { description: "Run database migrations" } });
  });

  it("shares one run among concurrent calls with an equal payload; different payloads run separately", async () => {
    const app = makeApp();
    let runs = 0;
    app.task("report:build", defineTask({
      async run({ payload }) {
        runs++;
        await sleep(30);
        return { for: payload.user, run: runs };
      },
    }));
    await app.ready();
    const same = await Promise.all([
      app.runTask("report:build", { payload: { user: "a", full: true } }),
      app.runTask("report:build", { payload: { full: true, user: "a" } }), // same payload, keys in another order
      app.runTask("report:build", { payload: { user: "b", full: true } }),
    ]);
    expect(runs).toBe(2);
    expect(same[0]).toBe(same[1]);
    expect(same[2]).toMatchObject({ for: "b" });
    // Once finished, the next call runs again.
    await app.runTask("report:build", { payload: { user: "a", full: true } });
    expect(runs).toBe(3);
  });

  it("gives tasks the app's context: storage, as the seed's cms:update does", async () => {
    const app = makeApp().task("cms:update", defineTask({
      async run() {
        const content = [{ id: 1 }, { id: 2 }];
        await useStorage("data").setItem("cms-content", content);
        return { updated: true, itemCount: content.length };
      },
    }));
    expect(await app.runTask("cms:update")).toEqual({ updated: true, itemCount: 2 });
    expect(await app.storage.getItem("data:cms-content")).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it("rejects an unknown task with a 404 naming the registered ones, and over HTTP answers 404", async () => {
    const app = makeApp().task("db:migrate", migrate);
    await expect(app.runTask("db:nope")).rejects.toMatchObject({ status: 404, message: "Task 'db:nope' is not registered. Registered: db:migrate." });
    app.get("/run/:name", defineHandler((event) => runTask(event.context.params!.name!)));
    const res = await app.fetch(new Request("http://localhost/run/nope"));
    expect(res.status).toBe(404);
    expect((await res.json()).message).toMatch(/Task 'nope' is not registered/);
  });

  it("reports a failing task to the error hook and rethrows", async () => {
    const app = makeApp().task("broken", defineTask({
      run() {
        throw new Error("disk full");
      },
    }));
    const seen: string[] = [];
    app.hooks.hook("error", (error, { tags }) => void seen.push(`${tags.join(",")}:${error.message}`));
    await expect(app.runTask("broken")).rejects.toThrow("disk full");
    expect(seen).toEqual(["task,broken:disk full"]);
  });

  it("refuses invalid names, duplicates and tasks without run()", () => {
    const app = makeApp().task("db:migrate", migrate);
    expect(() => app.task("db:migrate", migrate)).toThrow(/registered twice/);
    expect(() => app.task("bad name", migrate)).toThrow(/is invalid/);
    expect(() => defineTask({} as never)).toThrow(/run\(\) function/);
  });
});
