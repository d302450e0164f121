import { localTimeZone, nextRunTime, type ScheduleEntry } from "./schedule.js";
import { lockError, type HeldRun, type TickGuard } from "./tick-guard.js";
import { instrumentation } from "../app/instrumentation.js";

/** setTimeout's ceiling (~24.8 days); longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A schedule line as `GET /_nitro/tasks` shows it. */
export interface ScheduledTaskInfo {
  cron: string;
  tasks: string[];
  /** The zone the cron is read in (the process's own when the config names none). */
  timezone: string;
  /** ISO time of the next tick. */
  nextRun: string;
}

/**
 * Runs tasks on cron schedules (`scheduledTasks`). Each tick passes `{ scheduledTime }`
 * (the tick's time, ms) as the payload; a task still running from an earlier tick is
 * skipped rather than started twice; timers are unref'd (they never keep a process
 * alive) and cleared by `stop()`. With a {@link TickGuard} (a lock shared by every
 * instance) a tick runs only on the instance that claims it.
 */
export class TaskScheduler {
  readonly #entries: ScheduleEntry[];
  readonly #run: (name: string, scheduledTime: number) => Promise<unknown>;
  readonly #report: (error: Error, task: string) => void;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #running = new Map<string, Promise<void>>();
  #guard: TickGuard | undefined;
  #stopped = false;

  /**
   * @param run runs a task for a tick (the app's `runTask`, which reports its failures).
   * @param report where a tick skipped for lock trouble is reported.
   */
  constructor(
    entries: ScheduleEntry[],
    run: (name: string, scheduledTime: number) => Promise<unknown>,
    report: (error: Error, task: string) => void,
  ) {
    this.#entries = entries;
    this.#run = run;
    this.#report = report;
  }

  /** Task names the schedule refers to. */
  get taskNames(): string[] {
    return [...new Set(this.#entries.flatMap((entry) => entry.tasks))];
  }

  /** The schedule with each line's next tick after `now`. */
  info(now = Date.now()): ScheduledTaskInfo[] {
    return this.#entries.map((entry) => ({
      cron: entry.cron,
      tasks: [...entry.tasks],
      timezone: entry.timezone ?? localTimeZone(),
      nextRun: new Date(nextRunTime(entry, now)).toISOString(),
    }));
  }

  /** Arms every line; with `guard`, ticks are shared with the other instances. */
  start(guard?: TickGuard): void {
    this.#guard = guard;
    for (const entry of this.#entries) this.#arm(entry, nextRunTime(entry, Date.now()));
  }

  /**
   * Clears the timers. Runs in progress finish; the lock is closed once they released
   * their holds (not awaited here, so a long run does not hold up `close()`).
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    const guard = this.#guard;
    if (!guard) return;
    const dispose = () => guard.dispose().catch((error: unknown) => this.#report(lockError("closing the lock failed", error), ""));
    if (this.#running.size === 0) return dispose();
    void Promise.allSettled(this.#running.values()).then(dispose);
  }

  #arm(entry: ScheduleEntry, at: number): void {
    if (this.#stopped) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      // Long waits are chained, and a timer may fire a little before the wall clock reaches `at`.
      if (Date.now() < at) return this.#arm(entry, at);
      this.#arm(entry, nextRunTime(entry, Math.max(Date.now(), at)));
      for (const name of entry.tasks) this.#tick(name, at);
    }, Math.min(Math.max(at - Date.now(), 0), MAX_TIMER_MS));
    (timer as { unref?: () => void }).unref?.();
    this.#timers.add(timer);
  }

  #tick(name: string, scheduledTime: number): void {
    if (this.#stopped || this.#running.has(name)) return;
    const spans = instrumentation();
    const run = () => this.#runTick(name, scheduledTime);
    const attributes = { "nitrokit.task.name": name, "nitrokit.task.scheduled_time": new Date(scheduledTime).toISOString(), "nitrokit.task.lock": this.#guard ? undefined : "none" };
    const tick = (spans ? spans.span(`task tick ${name}`, attributes, run) : run()).finally(() => this.#running.delete(name));
    this.#running.set(name, tick);
  }

  async #runTick(name: string, scheduledTime: number): Promise<void> {
    let held: HeldRun | null = null;
    if (this.#guard) {
      const at = new Date(scheduledTime).toISOString();
      if (Date.now() - scheduledTime > this.#guard.lateLimit) {
        // Its claim may have expired already: running it could run it twice.
        instrumentation()?.annotate("nitrokit.task.lock", "late");
        return this.#report(lockError(`skipped '${name}' at ${at}: this instance reached the tick too late to claim it safely`), name);
      }
      try {
        held = await this.#guard.claim(name, scheduledTime);
      } catch (error) {
        instrumentation()?.annotate("nitrokit.task.lock", "unavailable");
        return this.#report(lockError(`skipped '${name}' at ${at}: the lock is unavailable`, error), name);
      }
      // "won": this instance runs the tick; "skipped": another one has it (or still runs the task).
      instrumentation()?.annotate("nitrokit.task.lock", held ? "won" : "skipped");
      if (!held) return; // another instance has this tick, or is still running the task
      if (this.#stopped) return held.end(); // closed while claiming: an app that closed runs nothing new
    }
    try {
      await this.#run(name, scheduledTime);
    } catch {
      // The runner reported it (the app's `error` hook); a schedule has no caller to rethrow to.
    } finally {
      await held?.end();
    }
  }
}
