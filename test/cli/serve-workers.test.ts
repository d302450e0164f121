import { describe, expect, it } from "vitest";
import { cliFixtures } from "./cli-helpers.js";

const PID_SERVER = `
import { createNitroApp } from "nitrokit";
import { defineHandler } from "nitrokit/h3";

const app = createNitroApp({});
app.get("/pid", defineHandler(() => ({ pid: process.pid })));
app.hooks.hook("close", () => console.log("[app] closed " + process.pid));
export default app;
`;

async function pids(base: string, tries = 40): Promise<Set<number>> {
  const seen = new Set<number>();
  for (let i = 0; i < tries && seen.size < 2; i++) {
    // A fresh connection per request, so the primary hands each to the next worker.
    const res = await fetch(`${base}/pid`, { headers: { connection: "close" } });
    seen.add(((await res.json()) as { pid: number }).pid);
  }
  return seen;
}

describe("nitrokit serve --workers", () => {
  const cli = cliFixtures();

  it("serves from 2 worker processes on one port, prints one banner, and drains both on SIGTERM", async () => {
    const project = cli.project({ "server.ts": PID_SERVER });
    const server = cli.start(["serve", "--workers", "2", "--port", "0", "--host", "127.0.0.1"], { cwd: project.dir });
    const base = await server.url();
    expect(server.output()).toMatch(/nitrokit serve · server\.ts · 2 workers · ready in \d+ ms/);
    expect(server.output().match(/➜ Local:/g)).toHaveLength(1);
    const seen = await pids(base);
    expect(seen.size).toBe(2);
    expect(seen.has(server.child.pid!)).toBe(false);

    expect(await server.stop("SIGTERM")).toEqual({ code: 0, signal: null });
    for (const pid of seen) expect(server.output()).toContain(`[app] closed ${pid}`);
  });

  it("reads NITRO_CLUSTER_WORKERS when --workers is not given", async () => {
    const project = cli.project({ "server.ts": PID_SERVER });
    const server = cli.start(["serve", "--port", "0", "--host", "127.0.0.1"], { cwd: project.dir, env: { NITRO_CLUSTER_WORKERS: "2" } });
    const base = await server.url();
    expect(server.output()).toContain("2 workers");
    expect((await pids(base)).size).toBe(2);
    expect(await server.stop("SIGINT")).toEqual({ code: 0, signal: null });
  });

  it("fails once, with the workers' message, when the app cannot start", async () => {
    const project = cli.project({
      "server.ts": `
import { createNitroApp } from "nitrokit";
const app = createNitroApp({});
app.plugin(() => { throw new Error("database unreachable"); });
export default app;
`,
    });
    const result = await cli.run(["serve", "--workers", "2", "--port", "0"], { cwd: project.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("database unreachable");
    expect(result.stderr.match(/The app failed to start/g)).toHaveLength(1);
  });

  it("rejects a bad --workers value as a usage error", async () => {
    const project = cli.project({ "server.ts": PID_SERVER });
    const result = await cli.run(["serve", "--workers", "many"], { cwd: project.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Invalid --workers "many"');
  });
});
