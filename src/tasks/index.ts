/**
 * `nitrokit/task`: tasks registered in code and run on demand, as `nitro/task`.
 * @module
 */
import { useNitroApp } from "../app/context.js";
import type { RunTaskOptions, Task } from "./types.js";

export type { RunTaskOptions, Task, TaskEvent, TaskLock } from "./types.js";
export { createRedisTaskLock, type RedisLockClient } from "./redis-lock.js";
export type { NitroRedisTaskLockConfig, NitroScheduledTasksEntry, NitroSchedulerConfig, NitroTasksEndpointConfig } from "./config-types.js";
export type { TasksListResponse } from "./endpoint.js";
export type { ScheduledTaskInfo } from "./scheduler.js";

/**
 * Typed identity for a task. Register it with `app.task(name, task)`.
 *
 * @example
 * export default defineTask({
 *   meta: { name: "db:migrate", description: "Run database migrations" },
 *   async run({ payload }) { return { migrated: true, payload }; },
 * });
 */
export function defineTask<R = unknown, P = Record<string, unknown>>(task: Task<R, P>): Task<R, P> {
  if (!task || typeof task.run !== "function") throw new TypeError("[nitrokit] defineTask() needs an object with a run() function.");
  return task;
}

/**
 * Runs a task of the current app and resolves with what its `run` returned.
 * Concurrent calls with the same name and an equal payload share one run.
 * An unknown name rejects with a 404 `HTTPError` naming the registered tasks.
 *
 * @example
 * const result = await runTask("db:migrate", { payload: { triggeredBy: "admin" } });
 */
export function runTask<R = unknown>(name: string, options?: RunTaskOptions): Promise<R> {
  return useNitroApp().runTask(name, options) as Promise<R>;
}

/**
 * The current app's tasks with their `meta.description`, known before any has run
 * (a task registered from a `tasks/` file has its module imported for it).
 *
 * @example
 * const tasks = await listTasks(); // { "db:migrate": { description: "Run database migrations" } }
 */
export function listTasks(): Promise<Record<string, { description: string }>> {
  return useNitroApp().listTasks();
}
