import { describe, expect, it } from "vitest";
import { cliFixtures } from "./cli-helpers.js";

// An app module that registers a Nitro-style tree of TypeScript files with globModules().
const APP = `
import { createNitroApp } from "nitrokit";
import { registerRoutes } from "nitrokit/routing";
import { globModules } from "nitrokit/routing/node";

const app = createNitroApp();
registerRoutes(app, globModules(new URL("./server", import.meta.url)));
export default app;
`;

const FILES = {
  "app.ts": APP,
  "server/routes/api/hello.ts": `
import { defineHandler } from "nitrokit/h3";
import { greet, type Greeting } from "../../utils/greet.ts";
export default defineHandler((event): Greeting => greet(event.url.searchParams.get("name") ?? "world"));
`,
  "server/routes/api/users/[id].get.ts": `
import { defineHandler, getRouterParam } from "nitrokit/h3";
export default defineHandler((event) => ({ id: getRouterParam(event, "id") as string }));
`,
  "server/utils/greet.ts": `
export interface Greeting { message: string }
export const greet = (name: string): Greeting => ({ message: \`hello \${name}\` });
`,
  "server/tasks/db/migrate.ts": `
import { defineTask } from "nitrokit/task";
export default defineTask({ meta: { description: "Run database migrations" }, run: (): { migrated: boolean } => ({ migrated: true }) });
`,
};

describe("the nitrokit command on TypeScript routes found by globModules()", () => {
  const cli = cliFixtures();

  for (const command of ["serve", "dev"] as const) {
    it(`${command} answers 200 from .ts routes (with TypeScript syntax and .ts imports), with no loader flag`, async () => {
      const project = cli.project(FILES);
      const server = cli.start([command, "app.ts", "--port", "0", "--host", "127.0.0.1"], { cwd: project.dir });
      const base = await server.url();
      const hello = await fetch(`${base}/api/hello?name=ts`);
      expect(hello.status, server.output()).toBe(200);
      expect(await hello.json()).toEqual({ message: "hello ts" });
      const user = await fetch(`${base}/api/users/42`);
      expect([user.status, await user.json()]).toEqual([200, { id: "42" }]);
      expect(server.output()).not.toContain("Unknown file extension");
    });
  }

  it("dev reloads when a lazily loaded .ts route changes", async () => {
    const project = cli.project(FILES);
    const dev = cli.start(["dev", "app.ts", "--port", "0", "--host", "127.0.0.1"], { cwd: project.dir });
    const base = await dev.url();
    expect(await (await fetch(`${base}/api/users/1`)).json()).toEqual({ id: "1" });
    const mark = dev.output().length;
    project.write("server/routes/api/users/[id].get.ts", `
import { defineHandler, getRouterParam } from "nitrokit/h3";
export default defineHandler((event) => ({ id: getRouterParam(event, "id") as string, edited: true }));
`);
    await dev.waitFor(/reloaded in \d+ ms/, { from: mark });
    expect(await (await fetch(`${base}/api/users/1`)).json()).toEqual({ id: "1", edited: true });
  });

  it("task list shows a .ts task's description before it ever ran", async () => {
    const project = cli.project(FILES);
    const result = await cli.run(["task", "list", "app.ts", "--json"], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ "db:migrate": { description: "Run database migrations", schedule: [] } });
  });
});
