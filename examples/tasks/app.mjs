// The seed's task examples: tasks/db/migrate.ts and a weekly report, scheduled in time
// zones, run from an admin route, and served on the /_nitro/tasks endpoints behind a token.
import { createNitroApp } from "nitrokit";
import { createError, defineHandler } from "nitrokit/h3";
import { defineTask, runTask } from "nitrokit/task";

/** @param {{ stepDelay?: number, log?: (...args: unknown[]) => void }} [options] */
export function createMigrateTask({ stepDelay = 1000, log = console.log } = {}) {
  // tasks/db/migrate.ts
  return defineTask({
    meta: { name: "db:migrate", description: "Run database migrations" },
    async run({ payload }) {
      log("Starting database migration...");
      log("Payload:", payload);
      const migrations = ["001_users", "002_posts", "003_comments"];
      const results = [];
      for (const migration of migrations) {
        log(`Running migration: ${migration}`);
        await new Promise((resolve) => setTimeout(resolve, stepDelay));
        results.push({ migration, status: "success" });
      }
      return { success: true, migrationsRun: results.length, results };
    },
  });
}

/**
 * @param {{ token?: string, redisUrl?: string, stepDelay?: number, log?: (...args: unknown[]) => void }} [options]
 *   `token`: the bearer token of /_nitro/tasks (required: the endpoints run any task).
 *   `redisUrl`: share the schedule between instances, each tick running on one of them.
 */
export function createTasksApp({ token, redisUrl, stepDelay, log } = {}) {
  const app = createNitroApp({
    experimental: { tasks: true },
    scheduledTasks: {
      // Every day at 2:30 in scheduler.timezone (Paris time, whatever the server's zone).
      "30 2 * * *": ["db:migrate"],
      // Every Monday at 9:00 in New York.
      "0 9 * * 1": { tasks: ["reports:weekly"], timezone: "America/New_York" },
    },
    scheduler: {
      timezone: "Europe/Paris",
      ...(redisUrl ? { lock: { driver: "redis", url: redisUrl, prefix: "tasks-example:" } } : {}),
    },
    // GET /_nitro/tasks and POST /_nitro/tasks/:name, for `Authorization: Bearer <token>` only.
    tasksEndpoint: { token },
  });

  app.task("db:migrate", createMigrateTask({ stepDelay, log }));
  app.task("reports:weekly", defineTask({
    meta: { name: "reports:weekly", description: "Build the weekly report" },
    run: ({ payload }) => ({ built: true, scheduledTime: payload.scheduledTime ?? null }),
  }));

  // routes/api/admin/migrate.ts: the seed's programmatic run, behind its own admin check.
  app.post("/api/admin/migrate", defineHandler(async (event) => {
    if (event.req.headers.get("x-admin") !== "yes") throw createError({ statusCode: 403, message: "Forbidden" });
    const payload = { triggeredBy: "admin", timestamp: Date.now() };
    const result = await runTask("db:migrate", { payload });
    return { taskCompleted: true, result };
  }));

  return app;
}
