import { CronExpressionParser } from "cron-parser";
import type { NitroScheduledTasksEntry } from "./config-types.js";
import { isTimeZone } from "./time-zone.js";

/** One cron line of `scheduledTasks`, normalised. */
export interface ScheduleEntry {
  cron: string;
  tasks: string[];
  /** IANA zone the cron is read in; `undefined` means the process's local zone. */
  timezone: string | undefined;
}

/** The process's own time zone name, what a schedule without `timezone` follows. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * Normalises `scheduledTasks` (Nitro's `cron → name | names` plus `{ tasks, timezone }`)
 * with `defaultTimezone` for entries that name none. Throws, naming the entry, for a
 * cron expression that does not parse or a time zone the runtime does not know.
 */
export function parseSchedule(scheduledTasks: Record<string, NitroScheduledTasksEntry>, defaultTimezone?: string): ScheduleEntry[] {
  if (defaultTimezone !== undefined && !isTimeZone(defaultTimezone)) {
    throw new RangeError(`[nitrokit] scheduler.timezone: unknown time zone '${defaultTimezone}' (expected an IANA name such as 'Europe/Paris').`);
  }
  return Object.entries(scheduledTasks).map(([cron, value]) => {
    const { tasks, timezone = defaultTimezone } = typeof value === "object" && !Array.isArray(value) ? value : { tasks: value };
    if (timezone !== undefined && !isTimeZone(timezone)) {
      throw new RangeError(`[nitrokit] scheduledTasks['${cron}'].timezone: unknown time zone '${timezone}' (expected an IANA name such as 'Europe/Paris').`);
    }
    const entry: ScheduleEntry = { cron, tasks: [tasks].flat(), timezone };
    try {
      nextRunTime(entry, Date.now());
    } catch (error) {
      throw new TypeError(`[nitrokit] scheduledTasks['${cron}']: not a cron expression (${error instanceof Error ? error.message : error}).`);
    }
    return entry;
  });
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
