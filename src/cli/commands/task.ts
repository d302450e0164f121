import { parseSchedule } from "../../tasks/schedule.js";
import { defineCommand } from "citty";
import type { NitroApp } from "../../types/app.js";
import { entryArg } from "../args.js";
import { CliError, describeError, EXIT_USAGE } from "../errors.js";
import { runCommand } from "../run.js";
import { renderTable } from "../table.js";
import { printJSON } from "../user-output.js";
import { withApp } from "../with-app.js";

const list = defineCommand({
  meta: { name: "list", description: "List the app's tasks with their descriptions and schedules" },
  args: {
    ...entryArg,
    json: { type: "boolean", description: "Print the tasks as JSON" },
  },
  run: ({ args }) =>
    runCommand(
      async () => {
        const tasks = await withApp(args.entry, describeTasks);
        if (args.json) return printJSON(tasks);
        const names = Object.keys(tasks);
        if (names.length === 0) return console.log("No tasks registered.");
        const rows = names.map((name) => [name, tasks[name]!.description || "-", tasks[name]!.schedule.join(", ")]);
        console.log(renderTable(["TASK", "DESCRIPTION", "SCHEDULE"], rows));
      },
      { exit: true },
    ),
});

const run = defineCommand({
  meta: { name: "run", description: "Run a task once and print what it returned as JSON" },
  args: {
    name: { type: "positional", required: true, description: "Task name, e.g. db:migrate" },
    ...entryArg,
    payload: { type: "string", description: `The task's payload, a JSON object, e.g. '{"limit":10}'` },
  },
  run: ({ args }) =>
    runCommand(
      async () => {
        const payload = parsePayload(args.payload);
        const result = await withApp(args.entry, async (app) => {
          const registered = Object.keys(await app.listTasks());
          if (!registered.includes(args.name)) {
            const known = registered.length ? `Registered tasks: ${registered.join(", ")}.` : "The app registers no tasks.";
            throw new CliError(`Task '${args.name}' is not registered. ${known}`);
          }
          try {
            return await app.runTask(args.name, { payload, context: { source: "cli" } });
          } catch (error) {
            throw new CliError(`Task '${args.name}' failed:\n${describeError(error)}`, { cause: error });
          }
        });
        printJSON(result);
      },
      { exit: true },
    ),
});

export default defineCommand({
  meta: { name: "task", description: "List or run the app's tasks" },
  subCommands: { list, run },
});

/** `--payload`: a JSON object, or nothing (an empty payload). Anything else is a usage error (exit 2). */
export function parsePayload(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(`--payload is not valid JSON: ${(error as Error).message}`, {
      exitCode: EXIT_USAGE,
      hint: `Quote it for the shell, e.g. --payload '{"limit": 10}'.`,
    });
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new CliError(`--payload must be a JSON object, got ${Array.isArray(value) ? "an array" : JSON.stringify(value)}.`, { exitCode: EXIT_USAGE });
  }
  return value as Record<string, unknown>;
}

/** `{ name: { description, schedule: [cron, …] } }` from the app's tasks and its `scheduledTasks`. */
async function describeTasks(app: NitroApp): Promise<Record<string, { description: string; schedule: string[] }>> {
  const tasks = Object.fromEntries(Object.entries(await app.listTasks()).map(([name, { description }]) => [name, { description, schedule: [] as string[] }]));
  for (const { cron, tasks: names, timezone } of parseSchedule(app.config.scheduledTasks ?? {}, app.config.scheduler?.timezone)) {
    for (const name of names) tasks[name]?.schedule.push(timezone ? `${cron} (${timezone})` : cron);
  }
  return tasks;
}
