import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { registerRoutes } from "../../src/routing/index.js";
import { globModules } from "../../src/adapters/routing-node.js";
import { appsClosedAfterEach, request, serveOnLoopback } from "../helpers.js";

const createApp = appsClosedAfterEach();
const dir = mkdtempSync(join(tmpdir(), "nitrokit-glob-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each module records its own import in a global list, so tests see what was loaded when. */
const loads = ((globalThis as { __routingLoads?: string[] }).__routingLoads ??= []);
function write(path: string, body: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), `globalThis.__routingLoads.push(${JSON.stringify(path)});\n${body}\n`);
}

write("routes/api/hello.mjs", `export default () => ({ message: "Hello from a file" });`);
write("routes/api/users/[id].get.js", `export default (event) => ({ userId: event.context.params.id });`);
write("routes/api/_private.mjs", `export default () => "private";`);
write("middleware/1.first.mjs", `export default (event) => { event.context.order = ["first"]; };`);
write("middleware/2.second.mjs", `export default (event) => { event.context.order.push("second"); };`);
write("routes/api/order.mjs", `export default (event) => event.context.order;`);
write("plugins/hooks.mjs", `export default (app) => { app.hooks.hook("response", (res) => { res.headers.set("x-plugin", "on"); }); };`);
write("tasks/db/migrate.mjs", `export default { meta: { description: "migrate" }, run: ({ payload }) => ({ migrated: payload.n }) };`);
write("routes/types.d.ts", `export {};`);
write("routes/notes.md", `# not a module`);
write("routes/node_modules/dep/index.mjs", `export default () => "never";`);
write("utils/helper.mjs", `export default () => "not scanned";`);

describe("globModules (nitrokit/routing/node)", () => {
  it("lists Nitro's folders below a directory the way import.meta.glob keys them, importing nothing", () => {
    const before = loads.length;
    const modules = globModules(dir);
    expect(Object.keys(modules).sort()).toEqual([
      "./middleware/1.first.mjs",
      "./middleware/2.second.mjs",
      "./plugins/hooks.mjs",
      "./routes/api/_private.mjs",
      "./routes/api/hello.mjs",
      "./routes/api/order.mjs",
      "./routes/api/users/[id].get.js",
      "./tasks/db/migrate.mjs",
    ]);
    expect(Object.values(modules).every((loader) => typeof loader === "function")).toBe(true);
    expect(loads.length).toBe(before);
    expect(globModules(pathToFileURL(dir))).toHaveProperty(["./routes/api/hello.mjs"]);
  });

  it("returns nothing for a directory without Nitro's folders", () => {
    expect(globModules(join(dir, "utils"))).toEqual({});
    expect(globModules(join(dir, "missing"))).toEqual({});
  });

  it("serves the directory over real HTTP, importing each file when first needed", async () => {
    loads.length = 0;
    const app = createApp();
    registerRoutes(app, globModules(dir));
    expect(loads).toEqual([]);
    const { server, base } = await serveOnLoopback(app);
    try {
      // ready() ran the plugin, and only the plugin.
      expect(loads).toEqual(["plugins/hooks.mjs"]);
      const hello = await fetch(`${base}/api/hello`);
      expect(await hello.json()).toEqual({ message: "Hello from a file" });
      expect(hello.headers.get("x-plugin")).toBe("on");
      expect(loads.sort()).toEqual(["middleware/1.first.mjs", "middleware/2.second.mjs", "plugins/hooks.mjs", "routes/api/hello.mjs"]);
      expect(await (await fetch(`${base}/api/users/42`)).json()).toEqual({ userId: "42" });
      const put = await fetch(`${base}/api/users/42`, { method: "PUT" });
      expect([put.status, put.headers.get("allow")]).toEqual([405, "GET, HEAD"]);
      expect(await (await fetch(`${base}/api/order`)).json()).toEqual(["first", "second"]);
      expect((await fetch(`${base}/api/_private`)).status).toBe(404);
      expect(await app.runTask("db:migrate", { payload: { n: 3 } })).toEqual({ migrated: 3 });
      expect(loads).not.toContain("routes/api/_private.mjs");
    } finally {
      await server.close();
    }
  });

  it("imports through a custom loader when given one", async () => {
    const imported: string[] = [];
    const app = createApp();
    registerRoutes(
      app,
      globModules(dir, {
        folders: ["routes"],
        import: async (url) => {
          imported.push(url.slice(url.lastIndexOf("/") + 1));
          return { default: () => "from the custom loader" };
        },
      }),
    );
    expect(await (await request(app, "/api/hello")).text()).toBe("from the custom loader");
    expect(imported).toEqual(["hello.mjs"]);
  });

  it("points at a TypeScript loader when Node cannot import a .ts file", async () => {
    const tsDir = mkdtempSync(join(tmpdir(), "nitrokit-glob-ts-"));
    try {
      mkdirSync(join(tsDir, "routes"));
      writeFileSync(join(tsDir, "routes/typed.ts"), `export default (): string => "typed";`);
      const error = Object.assign(new TypeError('Unknown file extension ".ts"'), { code: "ERR_UNKNOWN_FILE_EXTENSION" });
      const app = createApp({ dev: true });
      registerRoutes(app, globModules(tsDir, { import: () => Promise.reject(error) }));
      const errors: unknown[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => void errors.push(args);
      try {
        const response = await request(app, "/typed");
        expect(response.status).toBe(500);
        expect((await response.json()).message).toContain("./routes/typed.ts: Unknown file extension \".ts\". This Node.js cannot import TypeScript by itself: run with a loader (node --import tsx)");
      } finally {
        console.error = original;
      }
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      rmSync(tsDir, { recursive: true, force: true });
    }
  });
});
