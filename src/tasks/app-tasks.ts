import { HTTPError } from "h3";
import type { Storage } from "unstorage";
import type { NitroScheduledTasksEntry, NitroSchedulerConfig } from "./config-types.js";
import { resolveTaskLock } from "./lock-config.js";
import { instrumentation } from "../app/instrumentation.js";
import { normalizeSchedule, type ScheduleEntry } from "./schedule-check.js";
import type { ScheduledTaskInfo, TaskScheduler } from "./scheduler.js";
import type { RunTaskOptions, Task } from "./types.js";

/** Default `scheduler.lockTtl`, in seconds. */
const DEFAULT_LOCK_TTL = 30;

/**
 * The app's task registry and runner. Concurrent runs of the same task with the
 * **same payload** share one run; different payloads run separately. (Nitro
 * dedupes by name alone, which hands a caller the result of someone else's payload.)
 */
export class AppTasks {
  readonly #tasks = new Map<string, Task>();
  readonly #running = new Map<string, Promise<unknown>>();
  readonly #schedule: ScheduleEntry[];
  readonly #runScheduled: (name: string, scheduledTime: number) => Promise<unknown>;
  /** Built on first need (start or info): it brings cron-parser, which an app without a schedule never imports. */
  #scheduler: Promise<TaskScheduler> | undefined;
  #scheduleStopped = false;
  readonly #schedulerConfig: NitroSchedulerConfig;
  /** Lock trouble, tagged `["task", name, "lock"]`. */
  readonly #reportLock: (error: Error, task: string) => void;

  /**
   * @param config `scheduledTasks` and `scheduler` (a bad cron expression or time zone throws here).
   * @param runScheduled how a tick runs a task (the app's `runTask`, for context and error reporting).
   * @param report the app's `error` hook, for ticks skipped because of the lock.
   */
  constructor(
    config: { scheduledTasks?: Record<string, NitroScheduledTasksEntry>; scheduler?: NitroSchedulerConfig },
    runScheduled: (name: string, scheduledTime: number) => Promise<unknown>,
    report: (error: Error, tags: string[]) => void,
  ) {
    this.#schedulerConfig = config.scheduler ?? {};
    this.#reportLock = (error, task) => report(error, task ? ["task", task, "lock"] : ["task", "lock"]);
    this.#schedule = normalizeSchedule(config.scheduledTasks ?? {}, this.#schedulerConfig.timezone);
    this.#runScheduled = runScheduled;
  }

  /** Task names the schedule refers to. */
  get #scheduledNames(): string[] {
    return [...new Set(this.#schedule.flatMap((entry) => entry.tasks))];
  }

  /**
   * The scheduler, with cron-parser imported and every line checked by it (values and
   * ranges; the form was checked at creation): a line it refuses rejects, naming the line.
   */
  #loadScheduler(): Promise<TaskScheduler> {
    return (this.#scheduler ??= (async () => {
      const [{ checkSchedule }, { TaskScheduler }] = await Promise.all([import("./schedule.js"), import("./scheduler.js")]);
      return new TaskScheduler(checkSchedule(this.#schedule), this.#runScheduled, this.#reportLock);
    })());
  }

  /**
   * Starts the schedule, with the shared lock when one is configured (storage is mounted by
   * now, for a lock on a storage mount); throws when the schedule names tasks nobody registered.
   */
  async startSchedule(storage: Storage): Promise<void> {
    const unknown = this.#scheduledNames.filter((name) => !this.#tasks.has(name));
    if (unknown.length > 0) {
      throw new Error(`[nitrokit] scheduledTasks names tasks that are not registered: ${unknown.join(", ")}. Register them with app.task().`);
    }
    if (this.#scheduledNames.length === 0) return;
    const scheduler = await this.#loadScheduler();
    const lock = await resolveTaskLock(this.#schedulerConfig.lock, storage);
    const ttl = (this.#schedulerConfig.lockTtl ?? DEFAULT_LOCK_TTL) * 1000;
    const guard = lock && new (await import("./tick-guard.js")).TickGuard(lock, ttl, this.#reportLock);
    // close() may have come while the modules loaded: a stopped schedule arms nothing.
    if (this.#scheduleStopped) return void (await guard?.dispose());
    scheduler.start(guard);
  }

  /** Stops the timers (and closes the lock once runs in progress released it). */
  async stopSchedule(): Promise<void> {
    this.#scheduleStopped = true;
    // A schedule that never loaded (a line cron-parser refused: ready() reported it) has nothing to stop.
    const scheduler = await this.#scheduler?.catch(() => undefined);
    await scheduler?.stop();
  }

  /** The schedule and each line's next run, for `GET /_nitro/tasks`. */
  async scheduleInfo(now?: number): Promise<ScheduledTaskInfo[]> {
    if (this.#schedule.length === 0) return [];
    return (await this.#loadScheduler()).info(now);
  }

  register(name: string, task: Task): void {
    if (typeof name !== "string" || !/^[\w-]+(?::[\w-]+)*$/.test(name)) {
      throw new TypeError(`[nitrokit] Task name ${JSON.stringify(name)} is invalid: use segments like 'db:migrate'.`);
    }
    if (!task || typeof task.run !== "function") throw new TypeError(`[nitrokit] Task '${name}' has no run() function.`);
    if (this.#tasks.has(name)) throw new Error(`[nitrokit] Task '${name}' is registered twice.`);
    this.#tasks.set(name, task);
  }

  /**
   * Every task with its `meta.description`. A task registered lazily (a `tasks/` file of
   * `registerRoutes`) has its module imported here when its description is not known yet,
   * as Nitro's `GET /_nitro/tasks` does; a module that fails to load rejects, naming its file.
   */
  async list(): Promise<Record<string, { description: string }>> {
    const entries = await Promise.all(
      [...this.#tasks].map(async ([name, task]): Promise<[string, { description: string }]> => {
        if (task.meta?.description === undefined && isResolvable(task)) await task["~resolveMeta"]();
        return [name, { description: task.meta?.description ?? "" }];
      }),
    );
    return Object.fromEntries(entries);
  }

  names(): string[] {
    return [...this.#tasks.keys()];
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
    const execute = () => task.run({ name, payload, context: options.context ?? {} });
    const spans = instrumentation();
    const attributes = { "nitrokit.task.name": name, "nitrokit.task.trigger": typeof payload.scheduledTime === "number" ? "scheduled" : "on-demand" };
    const run = Promise.resolve()
      .then(() => (spans ? spans.span(`task ${name}`, attributes, execute) : execute()))
      .finally(() => this.#running.delete(key));
    this.#running.set(key, run);
    return run;
  }
}

/**
 * A task whose definition loads on demand (see `LazyTask` in routing): `~resolveMeta()`
 * loads it and fills `meta` in, so it can be listed before its first run.
 */
interface ResolvableTask extends Task {
  "~resolveMeta"(): Promise<void>;
}

function isResolvable(task: Task): task is ResolvableTask {
  return typeof (task as Partial<ResolvableTask>)["~resolveMeta"] === "function";
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` are the same payload. */
function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
