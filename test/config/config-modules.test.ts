import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { createNitroApp, type NitroApp, type NitroConfig } from "../../src/index.js";
import { request, serveOnLoopback } from "../helpers.js";
import { bundleForServer } from "../runtimes/bundle.js";
import type { NitroNodeServer } from "../../src/adapters/node.js";

/** The fixture modules; every path in these tests is relative to it, as `rootDir`. */
const rootDir = fileURLToPath(new URL("../fixtures/config-modules/", import.meta.url));
const importCount = () => (globalThis as { __nitrokitFixtureImports?: number }).__nitrokitFixtureImports ?? 0;

describe("module paths in the config (Nitro's `\"./routes/x.ts\"` form)", () => {
  const apps: NitroApp[] = [];
  const servers: NitroNodeServer[] = [];

  function createApp(config: NitroConfig): NitroApp {
    const app = createNitroApp({ rootDir, ...config });
    apps.push(app);
    return app;
  }

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it("imports a handlers[].handler path on the route's first request, relative to rootDir", async () => {
    const before = importCount();
    const app = createApp({
      handlers: [
        { route: "/api/hello", method: "get", handler: "./routes/hello.mjs" },
        // Without an extension, as Nitro resolves them.
        { route: "/api/bare", handler: "routes/hello" },
        { route: "/api/**", middleware: true, handler: "./middleware/stamp.mjs" },
      ],
    });
    await app.ready();
    // ready() checked the files exist but imported none of them.
    expect(importCount()).toBe(before);

    const hello = await request(app, "/api/hello");
    expect(hello.status).toBe(200);
    expect(hello.headers.get("x-stamp")).toBe("module middleware");
    expect(await hello.json()).toEqual({ hello: "from a module", path: "/api/hello" });
    expect(await (await request(app, "/api/bare")).json()).toEqual({ hello: "from a module", path: "/api/bare" });
    // The method still applies to a route from a path.
    expect((await request(app, "/api/hello", { method: "POST" })).status).toBe(405);
  });

  it("runs plugins given as paths in ready(), in order with function plugins", async () => {
    const order: string[] = [];
    const app = createApp({
      plugins: [() => void order.push("function before"), "./plugins/flag.mjs", () => void order.push("function after")],
    });
    app.get("/x", (event) => ({ plugin: event.context.plugin }));
    await app.ready();
    expect(order).toEqual(["function before", "function after"]);
    expect(await (await request(app, "/x")).json()).toEqual({ plugin: "loaded" });
  });

  it("uses an errorHandler given as a path (alone or in an array), imported by ready()", async () => {
    const single = createApp({ errorHandler: "./error.mjs" });
    const missing = await request(single, "/nowhere");
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe("custom 404 for /nowhere");

    const seen: number[] = [];
    const chained = createApp({
      errorHandler: [
        (error) => {
          seen.push(error.status);
        },
        "./error.mjs",
      ],
    });
    expect(await (await request(chained, "/gone")).text()).toBe("custom 404 for /gone");
    expect(seen).toEqual([404]);
  });

  it("takes serverEntry as a path, a *.node.* path as a Node handler, and Nitro's { handler, format }", async () => {
    const web = createApp({ serverEntry: "./server.mjs" });
    web.get("/api/route", () => "route");
    expect(await (await request(web, "/from-entry")).text()).toBe("served by server.mjs");
    expect(await (await request(web, "/api/route")).text()).toBe("route");
    expect((await request(web, "/other")).status).toBe(404);

    const node = createApp({ serverEntry: "./server.node.mjs" });
    const { server, base } = await serveOnLoopback(node);
    servers.push(server);
    expect(await (await fetch(`${base}/any/path?q=1`)).text()).toBe("node entry saw GET /any/path?q=1");

    const described = createApp({ serverEntry: { handler: "./server.node.mjs", format: "node" } });
    expect(await (await request(described, "/p", { method: "DELETE" })).text()).toBe("node entry saw DELETE /p");
  });

  it("fails ready() naming every path that names no file", async () => {
    const app = createApp({
      handlers: [{ route: "/a", handler: "./routes/missing.mjs" }],
      plugins: ["./plugins/absent.mjs"],
    });
    const failure = app.ready();
    await expect(failure).rejects.toThrow("'./routes/missing.mjs'");
    await expect(failure).rejects.toThrow("'./plugins/absent.mjs'");
    await expect(failure).rejects.toThrow(`${rootDir}routes/missing.mjs`);
    // Requests are refused while the app could not start.
    expect((await request(app, "/a")).status).toBe(503);

    for (const config of [{ errorHandler: "./nope.mjs" }, { serverEntry: "./server-missing.mjs" }] satisfies NitroConfig[]) {
      await expect(createApp(config).ready()).rejects.toThrow(/Module not found: '\.\/(nope|server-missing)\.mjs'/);
    }
  });

  it("fails ready() when an imported module's default export is the wrong kind, naming the path", async () => {
    await expect(createApp({ errorHandler: "./not-a-handler.mjs" }).ready()).rejects.toThrow(/\.\/not-a-handler\.mjs: the default export is not an error handler/);
    await expect(createApp({ plugins: ["./not-a-handler.mjs"] }).ready()).rejects.toThrow(/\.\/not-a-handler\.mjs/);
  });

  it("refuses a non-string, empty path in the config with the key named", () => {
    expect(() => createNitroApp({ plugins: [""] })).toThrow(/plugins\[0\]/);
    expect(() => createNitroApp({ errorHandler: 3 as never })).toThrow(/errorHandler: expected a function, a module path/);
  });

  it("under plain node, a .ts path fails ready() saying how to load TypeScript", async () => {
    const outfile = await bundleForServer("test/fixtures/config-modules/plain-node-entry.ts", "config-modules-ts");
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [outfile, rootDir]);
      const result = JSON.parse(stdout.trim()) as { ok: boolean; message?: string };
      const [major, minor] = process.versions.node.split(".").map(Number) as [number, number];
      if (major > 22 || (major === 22 && minor >= 18)) {
        // This Node strips types itself.
        expect(result).toEqual({ ok: true });
      } else {
        expect(result.ok).toBe(false);
        expect(result.message).toContain("./route.ts");
        expect(result.message).toContain("nitrokit dev");
        expect(result.message).toContain("--import tsx");
      }
    } finally {
      rmSync(outfile, { force: true });
    }
  });
});
