import { describe, expect, it } from "vitest";
import { cliFixtures } from "./cli-helpers.js";

const SERVER = `
import { createNitroApp } from "nitrokit";
import { defineTask } from "nitrokit/task";
import { useStorage } from "nitrokit/storage";

const app = createNitroApp({ scheduledTasks: { "0 * * * *": ["db:cleanup"], "*/5 * * * *": "db:cleanup" } });
app.task("db:migrate", defineTask({
  meta: { description: "Run database migrations" },
  async run({ name, payload, context }) {
    console.log("migrating…");
    await useStorage("data").setItem("migrated", true);
    return { name, payload, context, stored: await useStorage("data").getItem("migrated") };
  },
}));
app.task("db:cleanup", defineTask({ meta: { description: "Remove stale rows" }, run: () => ({ removed: 3 }) }));
app.task("fail", defineTask({ run: () => { throw new Error("disk full"); } }));
export default app;
`;

describe("nitrokit task", () => {
  const cli = cliFixtures();

  it("list shows each task with its description and schedule", async () => {
    const project = cli.project({ "server.ts": SERVER });
    const table = await cli.run(["task", "list"], { cwd: project.dir });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^TASK\s+DESCRIPTION\s+SCHEDULE\n/);
    expect(table.stdout).toMatch(/db:cleanup\s+Remove stale rows\s+0 \* \* \* \*, \*\/5 \* \* \* \*\n/);
    const json = await cli.run(["task", "list", "--json"], { cwd: project.dir });
    expect(JSON.parse(json.stdout)).toEqual({
      "db:migrate": { description: "Run database migrations", schedule: [] },
      "db:cleanup": { description: "Remove stale rows", schedule: ["0 * * * *", "*/5 * * * *"] },
      fail: { description: "", schedule: [] },
    });
  });

  it("run prints what the task returned as JSON, with the payload it was given", async () => {
    const project = cli.project({ "server.ts": SERVER });
    const result = await cli.run(["task", "run", "db:migrate", "--payload", '{"dryRun":true,"steps":[1,2]}'], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("migrating…");
    expect(JSON.parse(result.stdout)).toEqual({
      name: "db:migrate",
      payload: { dryRun: true, steps: [1, 2] },
      context: { source: "cli" },
      stored: true,
    });
    const noPayload = await cli.run(["task", "run", "db:cleanup", "server.ts"], { cwd: project.dir });
    expect(JSON.parse(noPayload.stdout)).toEqual({ removed: 3 });
  });

  it("a task that throws exits 1 with its error", async () => {
    const project = cli.project({ "server.ts": SERVER });
    const result = await cli.run(["task", "run", "fail"], { cwd: project.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Task 'fail' failed:");
    expect(result.stderr).toContain("Error: disk full");
  });

  it("an unknown task exits 1 naming the registered ones", async () => {
    const project = cli.project({ "server.ts": SERVER });
    const result = await cli.run(["task", "run", "db:seed"], { cwd: project.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Task 'db:seed' is not registered. Registered tasks: db:migrate, db:cleanup, fail.");
  });

  it("a --payload that is not a JSON object exits 2 before loading the app", async () => {
    const project = cli.project({ "server.ts": SERVER });
    const bad = await cli.run(["task", "run", "db:migrate", "--payload", "{dryRun:true}"], { cwd: project.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--payload is not valid JSON");
    expect(bad.stderr).not.toContain("migrating");
    const array = await cli.run(["task", "run", "db:migrate", "--payload", "[1]"], { cwd: project.dir });
    expect(array.code).toBe(2);
    expect(array.stderr).toContain("--payload must be a JSON object, got an array.");
  });

  it("a missing task name is a usage error", async () => {
    const project = cli.project({ "server.ts": SERVER });
    const result = await cli.run(["task", "run"], { cwd: project.dir });
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/NAME/);
  });
});
