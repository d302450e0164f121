import { HTTPError } from "h3";
import { TaskScheduler } from "./scheduler.js";
import type { RunTaskOptions, Task } from "./types.js";

/**
 * The app's task registry and runner. Concurrent runs of the same task with the
 * **same payload** share one run; different payloads run separately. (Nitro
 * dedupes by name alone, which hands a caller the result of someone else's payload.)
 */
export class AppTasks {
  readonly #tasks = new Map<string, Task>();
  readonly #running = new Map<string, Promise<unknown>>();
  readonly #scheduler: TaskScheduler;

  /**
   * @param schedule `scheduledTasks` from the config (a bad cron expression throws here).
   * @param runScheduled how a tick runs a task (the app's `runTask`, for context and error reporting).
   */
  constructor(schedule: Record<string, string | string[]>, runScheduled: (name: string, scheduledTime: number) => Promise<unknown>) {
    this.#scheduler = new TaskScheduler(schedule, runScheduled);
  }

  /** Starts the schedule; throws when it names tasks nobody registered. */
  startSchedule(): void {
    const unknown = this.#scheduler.taskNames.filter((name) => !this.#tasks.has(name));
    if (unknown.length > 0) {
      throw new Error(`[nitrokit] scheduledTasks names tasks that are not registered: ${unknown.join(", ")}. Register them with app.task().`);
    }
    this.#scheduler.start();
  }

  stopSchedule(): void {
    this.#scheduler.stop();
  }

  register(name: string, task: Task): void {
    if (typeof name !== "string" || !/^[\w-]+(?::[\w-]+)*$/.test(name)) {
      throw new TypeError(`[nitrokit] Task name ${JSON.stringify(name)} is invalid: use segments like 'db:migrate'.`);
    }
    if (!task || typeof task.run !== "function") throw new TypeError(`[nitrokit] Task '${name}' has no run() function.`);
    if (this.#tasks.has(name)) throw new Error(`[nitrokit] Task '${name}' is registered twice.`);
    this.#tasks.set(name, task);
  }

  list(): Record<string, { description: string }> {
    return Object.fromEntries([...this.#tasks].map(([name, task]) => [name, { description: task.meta?.description ?? "" }]));
  }

  has(name: string): boolean {
    return this.#tasks.has(name);
  }

  /** Runs `name`, sharing the run with concurrent callers that pass an equal payload. */
  run(name: string, options: RunTaskOptions = {}): Promise<unknown> {
    const task = this.#tasks.get(name);
    if (!task) {
      const known = [...this.#tasks.keys()];
      return Promise.reject(
        new HTTPError({ status: 404, message: `Task '${name}' is not registered.${known.length ? ` Registered: ${known.join(", ")}.` : ""}` }),
      );
    }
    const payload = options.payload ?? {};
    const key = `${name}\0${stableStringify(payload)}`;
    const running = this.#running.get(key);
    if (running) return running;
    const run = Promise.resolve()
      .then(() => task.run({ name, payload, context: options.context ?? {} }))
      .finally(() => this.#running.delete(key));
    this.#running.set(key, run);
    return run;
  }
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` are the same payload. */
function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
