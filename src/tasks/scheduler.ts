import { CronExpressionParser } from "cron-parser";

/** setTimeout's ceiling (~24.8 days); longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs tasks on cron schedules (`scheduledTasks`), in this process. Each tick
 * passes `{ scheduledTime }` (the tick's time, ms) as the payload; a task still
 * running from an earlier tick is skipped rather than started twice; timers are
 * unref'd (they never keep a process alive) and cleared by `stop()`.
 */
export class TaskScheduler {
  readonly #schedule: Array<{ cron: string; tasks: string[] }>;
  readonly #run: (name: string, scheduledTime: number) => Promise<unknown>;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #running = new Set<string>();
  #stopped = false;

  /** Throws, naming the entry, for a cron expression that does not parse. */
  constructor(schedule: Record<string, string | string[]>, run: (name: string, scheduledTime: number) => Promise<unknown>) {
    this.#schedule = Object.entries(schedule).map(([cron, tasks]) => {
      try {
        CronExpressionParser.parse(cron);
      } catch (error) {
        throw new TypeError(`[nitrokit] scheduledTasks['${cron}']: not a cron expression (${error instanceof Error ? error.message : error}).`);
      }
      return { cron, tasks: [tasks].flat() };
    });
    this.#run = run;
  }

  /** Task names the schedule refers to. */
  get taskNames(): string[] {
    return [...new Set(this.#schedule.flatMap((entry) => entry.tasks))];
  }

  start(): void {
    for (const { cron, tasks } of this.#schedule) this.#arm(cron, tasks);
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #arm(cron: string, tasks: string[], at = CronExpressionParser.parse(cron, { currentDate: new Date() }).next().getTime()): void {
    if (this.#stopped) return;
    const wait = at - Date.now();
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (wait > MAX_TIMER_MS) return this.#arm(cron, tasks, at);
      this.#arm(cron, tasks);
      for (const name of tasks) this.#tick(name, at);
    }, Math.min(Math.max(wait, 0), MAX_TIMER_MS));
    timer.unref?.();
    this.#timers.add(timer);
  }

  #tick(name: string, scheduledTime: number): void {
    if (this.#stopped || this.#running.has(name)) return;
    this.#running.add(name);
    // Failures are reported by the runner (the app's error hook); nothing to rethrow to.
    this.#run(name, scheduledTime)
      .catch(() => {})
      .finally(() => this.#running.delete(name));
  }
}
