import { CronExpressionParser } from "cron-parser";
import type { NitroScheduledTasksEntry } from "./config-types.js";
import { normalizeSchedule, notCron, type ScheduleEntry } from "./schedule-check.js";

export type { ScheduleEntry } from "./schedule-check.js";

/** The process's own time zone name, what a schedule without `timezone` follows. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * Normalises `scheduledTasks` (see {@link normalizeSchedule}) and checks every line with
 * cron-parser itself (values and ranges too). Throws, naming the entry, for a cron
 * expression that does not parse or a time zone the runtime does not know.
 */
export function parseSchedule(scheduledTasks: Record<string, NitroScheduledTasksEntry>, defaultTimezone?: string): ScheduleEntry[] {
  return checkSchedule(normalizeSchedule(scheduledTasks, defaultTimezone));
}

/** Checks normalised lines with cron-parser; throws, naming the line, for one it refuses. Returns them. */
export function checkSchedule(entries: ScheduleEntry[]): ScheduleEntry[] {
  for (const entry of entries) {
    try {
      nextRunTime(entry, Date.now());
    } catch (error) {
      throw notCron(entry.cron, error instanceof Error ? error.message : String(error));
    }
  }
  return entries;
}

/**
 * The first time (ms since the epoch) strictly after `after` at which `entry` fires,
 * in its time zone (daylight-saving shifts included).
 *
 * @example
 * nextRunTime({ cron: "0 9 * * 1", tasks: [], timezone: "America/New_York" }, Date.parse("2025-01-01T00:00:00Z"));
 * // → Date.parse("2025-01-06T14:00:00Z"): Monday 9:00 in New York
 */
export function nextRunTime(entry: Pick<ScheduleEntry, "cron" | "timezone">, after: number | Date): number {
  const options = { currentDate: new Date(after), ...(entry.timezone ? { tz: entry.timezone } : {}) };
  return CronExpressionParser.parse(entry.cron, options).next().getTime();
}
