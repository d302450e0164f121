import type { NitroScheduledTasksEntry } from "./config-types.js";
import { isTimeZone } from "./time-zone.js";

/** One cron line of `scheduledTasks`, normalised. */
export interface ScheduleEntry {
  cron: string;
  tasks: string[];
  /** IANA zone the cron is read in; `undefined` means the process's local zone. */
  timezone: string | undefined;
}

/** cron-parser's `@` shorthands. */
const CRON_SHORTHANDS = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@hourly", "@minutely", "@secondly", "@weekdays", "@weekends"]);
const MONTH_NAMES = new Set(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]);
const DAY_NAMES = new Set(["sun", "mon", "tue", "wed", "thu", "fri", "sat"]);
/** What a field may hold once names are replaced: numbers, `* ? , - /`, `L`, `W`, `#`, and `H`/`H(a-b)` hashes. */
const FIELD_CHARACTERS = /^[\d*?,/#LWH()-]+$/;

/**
 * Why `cron` cannot be a cron expression, as far as its form tells (field count, names,
 * characters), or `undefined` when it may be one. This runs in `createNitroApp()` without
 * cron-parser, which is imported only when the schedule starts; cron-parser then checks
 * the values too (ranges, steps), and `ready()` fails, naming the line, for one it refuses.
 */
export function cronSyntaxError(cron: string): string | undefined {
  const expression = cron.trim();
  if (expression.startsWith("@")) return CRON_SHORTHANDS.has(expression) ? undefined : `unknown shorthand '${expression}'`;
  const fields = expression.split(/\s+/);
  if (fields.length > 6) return "too many fields (at most 6: [second] minute hour day-of-month month day-of-week)";
  // cron-parser reads a short expression as its last fields (second, minute, … default to `0 * * * *`).
  const offset = 6 - fields.length;
  for (const [i, field] of fields.entries()) {
    const position = i + offset;
    const names = position === 4 ? MONTH_NAMES : position === 5 ? DAY_NAMES : undefined;
    let value = field;
    if (names) {
      const unknown = field.match(/[a-z]{3}/gi)?.find((name) => !names.has(name.toLowerCase()));
      if (unknown) return `cannot resolve alias "${unknown.toLowerCase()}"`;
      value = field.replace(/[a-z]{3}/gi, "0");
    }
    if (!FIELD_CHARACTERS.test(value)) return `invalid characters in '${field}'`;
  }
  return undefined;
}

/**
 * Normalises `scheduledTasks` (Nitro's `cron → name | names` plus `{ tasks, timezone }`)
 * with `defaultTimezone` for entries that name none. Throws, naming the entry, for a
 * time zone the runtime does not know or a line that is no cron expression by its form
 * (see {@link cronSyntaxError}).
 */
export function normalizeSchedule(scheduledTasks: Record<string, NitroScheduledTasksEntry>, defaultTimezone?: string): ScheduleEntry[] {
  if (defaultTimezone !== undefined && !isTimeZone(defaultTimezone)) {
    throw new RangeError(`[nitrokit] scheduler.timezone: unknown time zone '${defaultTimezone}' (expected an IANA name such as 'Europe/Paris').`);
  }
  return Object.entries(scheduledTasks).map(([cron, value]) => {
    const { tasks, timezone = defaultTimezone } = typeof value === "object" && !Array.isArray(value) ? value : { tasks: value };
    if (timezone !== undefined && !isTimeZone(timezone)) {
      throw new RangeError(`[nitrokit] scheduledTasks['${cron}'].timezone: unknown time zone '${timezone}' (expected an IANA name such as 'Europe/Paris').`);
    }
    const syntaxError = cronSyntaxError(cron);
    if (syntaxError) throw notCron(cron, syntaxError);
    return { cron, tasks: [tasks].flat(), timezone };
  });
}

/** The error for a schedule line that is not a cron expression. */
export function notCron(cron: string, reason: string): TypeError {
  return new TypeError(`[nitrokit] scheduledTasks['${cron}']: not a cron expression (${reason}).`);
}
