import { describe, expect, it } from "vitest";
import { cliFixtures } from "./cli-helpers.js";

// Nitro 3's server.ts forms: an h3 handler, an H3 app, a plain { fetch } object.
const NITRO_HANDLER_ENTRY = `
import { defineHandler } from "nitrokit/h3";
export default defineHandler((event) => {
  console.log("server entry called with", typeof event);
  return { from: "server entry", path: event.url.pathname };
});
`;
const NITRO_H3_ENTRY = `
import { H3 } from "nitrokit/h3";
export default new H3().get("/", () => "from h3");
`;
const NITRO_FETCH_ENTRY = `export default { fetch: () => new Response("from fetch") };`;

const APP = `
import { createNitroApp } from "nitrokit";
import { defineHandler } from "nitrokit/h3";
const app = createNitroApp();
app.get("/api/hello", defineHandler(() => ({ from: "app.ts" })));
export default app;
`;

describe("the nitrokit command's default entry lookup and Nitro's server.ts", () => {
  const cli = cliFixtures();

  it("takes app.ts before a server.ts beside it (a Nitro server entry is never called as an app factory)", async () => {
    const project = cli.project({ "server.ts": NITRO_HANDLER_ENTRY, "app.ts": APP });
    const server = cli.start(["serve", "--port", "0", "--host", "127.0.0.1"], { cwd: project.dir });
    const base = await server.url();
    expect(server.output()).toMatch(/nitrokit serve · app\.ts · ready/);
    expect(await (await fetch(`${base}/api/hello`)).json()).toEqual({ from: "app.ts" });
    expect(server.output()).not.toContain("server entry called");
  });

  it("takes app.mjs before a server.mjs that serves it (the examples' layout)", async () => {
    const project = cli.project({}, { copyExample: "hello" });
    const server = cli.start(["serve", "--port", "0", "--host", "127.0.0.1"], { cwd: project.dir });
    const base = await server.url();
    expect(server.output()).toMatch(/nitrokit serve · app\.mjs · ready/);
    expect(await (await fetch(`${base}/api/hello`)).json()).toEqual({ message: "Hello from Nitro!" });
  });

  for (const [form, source] of [["an h3 handler", NITRO_HANDLER_ENTRY], ["an H3 app", NITRO_H3_ENTRY], ["a { fetch } object", NITRO_FETCH_ENTRY]] as const) {
    it(`a server.ts that is ${form} fails with what to do, and is not called`, async () => {
      const project = cli.project({ "server.ts": source });
      const message = "server.ts is a server entry (its default export is a fetch handler), not a nitrokit app";
      const commands = [["serve", "--port", "0"], ["routes"], ["task", "list"]];
      const results = await Promise.all(commands.map((command) => cli.run(command, { cwd: project.dir })));
      for (const [index, result] of results.entries()) {
        expect(result.code, commands[index]!.join(" ")).toBe(1);
        expect(result.stderr).toContain(message);
        expect(result.stderr).toContain('export default createNitroApp({ serverEntry: "./server.ts" })');
        expect(result.stdout + result.stderr).not.toContain("server entry called");
      }
      // dev keeps running on a failed first load and shows the error until a save fixes it.
      const dev = cli.start(["dev", "--port", "0", "--host", "127.0.0.1"], { cwd: project.dir });
      const base = await dev.url();
      await dev.waitFor(message);
      const page = await fetch(`${base}/`);
      expect(page.status).toBe(503);
      expect(await page.text()).toContain("not a nitrokit app");
      expect(dev.output()).not.toContain("server entry called");
    }, 60_000);
  }
});
