/**
 * createNitroApp() checks the form of each `scheduledTasks` line without cron-parser (it is
 * imported only when a schedule starts); cron-parser checks the values in ready(). The form
 * check must never refuse what cron-parser accepts.
 */
import { CronExpressionParser } from "cron-parser";
import { describe, expect, it } from "vitest";
import { createNitroApp } from "../../src/index.js";
import { defineTask } from "../../src/tasks/index.js";
import { cronSyntaxError } from "../../src/tasks/schedule-check.js";

const accepted = ["* * * * *", "*/5 * * * *", "0 9 * * 1", "0 9 * * MON", "0 9 * * mon-fri", "0 0 1 JAN *", "0 0 L * *", "0 0 * * 5L", "0 0 * * 1#2", "H * * * *", "H(0-29)/10 * * * *", "@daily", "@weekdays", "0 0 ? * *", "30 0 9 * * 1-5", "0 12 * * sun,sat"];
const refusedByForm: Record<string, RegExp> = {
  "every minute": /cannot resolve alias "eve"/,
  "0 12 * * xyz": /cannot resolve alias "xyz"/,
  "0 0 * * MONDAY": /cannot resolve alias "day"/,
  "* * * * * * *": /too many fields/,
  "a * * * *": /invalid characters in 'a'/,
  "@reboot": /unknown shorthand '@reboot'/,
};

describe("the form check of cron lines", () => {
  it("accepts what cron-parser accepts", () => {
    for (const cron of accepted) {
      expect(() => CronExpressionParser.parse(cron), cron).not.toThrow();
      expect(cronSyntaxError(cron), cron).toBeUndefined();
    }
  });

  it("refuses, with a reason, lines that cannot be cron expressions (so does cron-parser)", () => {
    for (const [cron, reason] of Object.entries(refusedByForm)) {
      expect(() => CronExpressionParser.parse(cron), cron).toThrow();
      expect(cronSyntaxError(cron), cron).toMatch(reason);
    }
  });

  it("leaves values to cron-parser: an out-of-range minute fails ready(), naming the line", async () => {
    const app = createNitroApp({ scheduledTasks: { "99 * * * *": ["x"] } });
    app.task("x", defineTask({ run: () => "done" }));
    await expect(app.ready()).rejects.toThrow(/scheduledTasks\['99 \* \* \* \*'\]: not a cron expression \(Constraint error/);
    await app.close();
  });
});
