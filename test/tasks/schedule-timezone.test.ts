import { describe, expect, it } from "vitest";
import { createNitroApp } from "../../src/index.js";
import { nextRunTime, parseSchedule } from "../../src/tasks/schedule.js";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe("next run times per time zone (pure, fixed current date)", () => {
  const from = at("2025-01-01T00:00:00Z"); // a Wednesday, winter in both hemispheres' north

  it("reads the same cron in each entry's zone", () => {
    const [weekly, berlin] = parseSchedule({
      "0 9 * * 1": { tasks: ["reports:weekly"], timezone: "America/New_York" },
      "30 2 * * *": { tasks: "db:migrate", timezone: "Europe/Berlin" },
    });
    expect(iso(nextRunTime(weekly!, from))).toBe("2025-01-06T14:00:00.000Z"); // Monday 09:00 EST (UTC-5)
    expect(iso(nextRunTime(berlin!, from))).toBe("2025-01-01T01:30:00.000Z"); // 02:30 CET (UTC+1)
    expect(iso(nextRunTime({ cron: "0 9 * * 1", timezone: "Asia/Tokyo" }, from))).toBe("2025-01-06T00:00:00.000Z"); // UTC+9
  });

  it("applies scheduler.timezone to entries without their own, and lets an entry override it", () => {
    const entries = parseSchedule(
      { "0 9 * * *": ["a"], "0 10 * * *": "b", "0 11 * * *": { tasks: ["c"] }, "0 12 * * *": { tasks: ["d"], timezone: "UTC" } },
      "Asia/Kolkata",
    );
    expect(entries.map((entry) => entry.timezone)).toEqual(["Asia/Kolkata", "Asia/Kolkata", "Asia/Kolkata", "UTC"]);
    expect(entries.map((entry) => iso(nextRunTime(entry, from)))).toEqual([
      "2025-01-01T03:30:00.000Z", // 09:00 IST (UTC+5:30)
      "2025-01-01T04:30:00.000Z",
      "2025-01-01T05:30:00.000Z",
      "2025-01-01T12:00:00.000Z",
    ]);
    expect(entries.map((entry) => entry.tasks)).toEqual([["a"], ["b"], ["c"], ["d"]]);
  });

  it("follows daylight saving time: the UTC time of a local 09:00 moves with it", () => {
    const newYork = { cron: "0 9 * * *", timezone: "America/New_York" };
    expect(iso(nextRunTime(newYork, at("2025-03-08T15:00:00Z")))).toBe("2025-03-09T13:00:00.000Z"); // EDT from 9 March
    expect(iso(nextRunTime(newYork, at("2025-03-07T15:00:00Z")))).toBe("2025-03-08T14:00:00.000Z"); // still EST
    expect(iso(nextRunTime({ cron: "0 9 * * *", timezone: "Europe/London" }, at("2025-07-01T00:00:00Z")))).toBe("2025-07-01T08:00:00.000Z"); // BST
  });

  it("is strictly after the given time, with a seconds field too", () => {
    const everySecond = { cron: "*/1 * * * * *", timezone: "UTC" };
    expect(nextRunTime(everySecond, at("2025-01-01T00:00:05.000Z"))).toBe(at("2025-01-01T00:00:06.000Z"));
    expect(nextRunTime(everySecond, at("2025-01-01T00:00:05.400Z"))).toBe(at("2025-01-01T00:00:06.000Z"));
  });

  it("without a time zone follows the process's local zone (as Nitro)", () => {
    const local = new Date(nextRunTime({ cron: "0 9 * * *", timezone: undefined }, from));
    expect([local.getHours(), local.getMinutes()]).toEqual([9, 0]);
  });
});

describe("time zone errors", () => {
  it("an unknown scheduler.timezone fails createNitroApp, naming it", () => {
    expect(() => createNitroApp({ scheduler: { timezone: "Mars/Olympus_Mons" }, scheduledTasks: { "0 9 * * 1": ["x"] } })).toThrow(
      /scheduler\.timezone: unknown time zone 'Mars\/Olympus_Mons'/,
    );
  });

  it("an unknown timezone on an entry fails createNitroApp, naming the entry and the zone", () => {
    expect(() => createNitroApp({ scheduledTasks: { "0 9 * * 1": { tasks: ["reports:weekly"], timezone: "America/Nowhere" } } })).toThrow(
      /scheduledTasks\.0 9 \* \* 1\.timezone: unknown time zone 'America\/Nowhere'/,
    );
    // The scheduler checks on its own too (what createNitroApp's validation relies on).
    expect(() => parseSchedule({ "0 9 * * 1": { tasks: ["x"], timezone: "UTC+2" } })).toThrow(/scheduledTasks\['0 9 \* \* 1'\]\.timezone: unknown time zone 'UTC\+2'/);
    expect(() => parseSchedule({}, "Nowhere")).toThrow(/scheduler\.timezone: unknown time zone 'Nowhere'/);
  });

  it("an entry object without tasks is refused", () => {
    expect(() => createNitroApp({ scheduledTasks: { "0 9 * * 1": { timezone: "UTC" } as never } })).toThrow(
      /scheduledTasks\.0 9 \* \* 1: expected a task name, an array of task names, or \{ tasks, timezone\? \}/,
    );
  });
});
