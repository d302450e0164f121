import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { cliFixtures } from "./cli-helpers.js";

const APP = `
import { createNitroApp } from "nitrokit";
const app = createNitroApp({});
app.get("/", () => "ok");
export default app;
`;

describe("nitrokit: clear errors", () => {
  const cli = cliFixtures();
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it("names a missing entry file", async () => {
    const project = cli.project();
    const result = await cli.run(["serve", "nope.ts"], { cwd: project.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Entry file not found: nope.ts");
    expect(result.stdout).toBe("");
  });

  it("lists the default entries it looked for when none is given", async () => {
    const project = cli.project();
    for (const command of [["serve"], ["dev"], ["routes"], ["task", "list"]]) {
      const result = await cli.run(command, { cwd: project.dir });
      expect(result.code, command.join(" ")).toBe(1);
      expect(result.stderr).toContain("No entry file found in .: looked for app.ts, app.mts, app.js, app.mjs, server.ts");
    }
  });

  it("says what a module without an app exports", async () => {
    const project = cli.project({
      "numbers.mjs": "export const answer = 42;",
      "worker.mjs": "export default { fetch: () => new Response('hi') };",
      "empty.ts": "export {};",
    });
    const numbers = await cli.run(["serve", "numbers.mjs"], { cwd: project.dir });
    expect(numbers.code).toBe(1);
    expect(numbers.stderr).toContain("numbers.mjs does not export an app: it exports answer (number).");
    expect(numbers.stderr).toContain("Default-export the app");
    const worker = await cli.run(["routes", "worker.mjs"], { cwd: project.dir });
    expect(worker.stderr).toContain("worker.mjs is a server entry (its default export is a fetch handler), not a nitrokit app");
    const empty = await cli.run(["task", "list", "empty.ts"], { cwd: project.dir });
    expect(empty.stderr).toContain("empty.ts does not export an app: it has no exports.");
  });

  it("suggests the next free port when the port is in use", async () => {
    const project = cli.project({ "server.mjs": APP });
    const blocker = createServer();
    servers.push(blocker);
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    for (const command of ["serve", "dev"]) {
      const result = await cli.run([command, "--port", String(port), "--host", "127.0.0.1"], { cwd: project.dir });
      expect(result.code, command).toBe(1);
      expect(result.stderr).toContain(`Port ${port} is already in use on 127.0.0.1.`);
      expect(result.stderr).toMatch(new RegExp(`Port (\\d+) is free: try --port \\1`));
      const suggested = Number(/try --port (\d+)/.exec(result.stderr)![1]);
      expect(suggested).toBeGreaterThan(port);
    }
  });

  it("refuses an invalid port as a usage error", async () => {
    const project = cli.project({ "server.mjs": APP });
    const result = await cli.run(["serve", "--port", "http"], { cwd: project.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Invalid port "http"');
  });

  it("shows a syntax error with its file and line, and a throwing ready() with its message", async () => {
    const project = cli.project({
      "server.ts": `import { handler } from "./handler.js";\nexport default handler;`,
      "handler.ts": `export const handler = {;`,
      "broken.mjs": `
        import { createNitroApp } from "nitrokit";
        const app = createNitroApp();
        app.plugin(() => { throw new Error("database unreachable"); });
        export default app;`,
    });
    const syntax = await cli.run(["serve"], { cwd: project.dir });
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toContain("Could not load server.ts");
    expect(syntax.stderr).toMatch(/handler\.ts:1:\d+/);
    const ready = await cli.run(["serve", "broken.mjs", "--port", "0"], { cwd: project.dir });
    expect(ready.code).toBe(1);
    expect(ready.stderr).toContain("The app failed to start: ready() threw.");
    expect(ready.stderr).toContain("database unreachable");
  });

  it("prints --help for every command", async () => {
    const project = cli.project();
    const root = await cli.run(["--help"], { cwd: project.dir });
    expect(root.code).toBe(0);
    for (const command of ["serve", "dev", "routes", "task"]) expect(root.stdout).toContain(command);
    for (const command of [["serve"], ["dev"], ["routes"], ["task", "run"], ["task", "list"]]) {
      const help = await cli.run([...command, "--help"], { cwd: project.dir });
      expect(help.code, command.join(" ")).toBe(0);
      expect(help.stdout).toContain(`nitrokit ${command.join(" ")}`);
    }
    const serveHelp = await cli.run(["serve", "--help"], { cwd: project.dir });
    expect(serveHelp.stdout).toContain("--port");
    expect(serveHelp.stdout).toContain("--host");
  });
});
