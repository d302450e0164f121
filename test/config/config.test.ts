import { afterEach, describe, expect, it, vi } from "vitest";
import { createNitroApp } from "../../src/index.js";
import { defineNitroConfig } from "../../src/config-entry.js";

afterEach(() => vi.restoreAllMocks());

describe("config validation", () => {
  it("accepts Nitro's documented runtime options", async () => {
    const config = defineNitroConfig({
      dev: false,
      baseURL: "/",
      runtimeConfig: { apiSecret: "x", public: { apiBase: "/api" } },
      routeRules: { "/blog/**": { headers: { "x-blog": "1" } } },
      storage: { redis: { driver: "redis", host: "localhost" } },
      devStorage: { cache: { driver: "fs", base: "./.nitro/cache" } },
      database: { default: { connector: "sqlite", options: { name: "main" } } },
      scheduledTasks: { "* * * * *": ["cms:update"], "0 * * * *": "db:backup" },
      experimental: { database: true, tasks: true },
    });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const app = createNitroApp(config);
    expect(warn).not.toHaveBeenCalled();
    await app.close();
  });

  it("names the key path of a value of the wrong type", () => {
    expect(() => createNitroApp({ runtimeConfig: "nope" } as never)).toThrow(/runtimeConfig: /);
    expect(() => createNitroApp({ storage: { redis: { host: "x" } } } as never)).toThrow(/storage\.redis\.driver/);
    expect(() => createNitroApp({ scheduledTasks: { "* * * * *": [1] } } as never)).toThrow(/scheduledTasks\.\* \* \* \* \*: expected a task name, an array of task names, or \{ tasks, timezone\? \}/);
    expect(() => createNitroApp({ maxRequestBodySize: -1 } as never)).toThrow(/maxRequestBodySize/);
    expect(() => createNitroApp({ baseURL: "app" } as never)).toThrow(/baseURL: must start with '\/'/);
  });

  it("lists every bad key in one error", () => {
    let message = "";
    try {
      createNitroApp({ dev: "yes", envPrefix: "lower" } as never);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/dev:/);
    expect(message).toMatch(/envPrefix:/);
  });

  it("warns once, a line per key, naming a typo's likely key and what a Nitro-only option becomes", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const app = createNitroApp({ runtimeConfg: {}, preset: "node-server", srcDir: "server" } as never);
    expect(warn).toHaveBeenCalledTimes(1);
    const message = String(warn.mock.calls[0]?.[0]);
    expect(message).toMatch(/runtimeConfg is not a nitrokit or Nitro option \(did you mean 'runtimeConfig'\?\); ignored\./);
    expect(message).toMatch(/preset is ignored: pick the runtime in code: serve\(app\) from nitrokit\/node/);
    expect(message).toMatch(/srcDir is ignored: nitrokit scans no directories: register the folder with registerRoutes\(app, globModules\(dir\)\)/);
    await app.close();
  });

  // Each key below is used by this test only: a key warns once per process.
  it.each([
    ["hooks", /hooks is ignored: Nitro's build hooks have no equivalent.*runtime hooks go in a plugin: app\.plugin\(\(nitroApp\) => nitroApp\.hooks\.hook\("request"/],
    ["routes", /routes is ignored: register routes in code: app\.get\("\/path", handler\).*registerRoutes\(\) from nitrokit\/routing/],
    ["renderer", /renderer is ignored: a renderer is a catch-all route: app\.get\("\/\*\*", renderHandler\)/],
    ["tracingChannel", /tracingChannel is ignored: set `tracing: true`/],
    ["virtual", /virtual is ignored: there are no virtual modules: put the code in a module and import it/],
    ["features", /features is ignored: both features are always on: runtime hooks always run.*app\.websocket\(path, hooks\)/],
    ["devProxy", /devProxy is ignored: use a proxy route rule: routeRules: \{ "\/proxy\/\*\*": \{ proxy:/],
    ["rollupConfig", /rollupConfig is ignored: nitrokit does not bundle your app/],
  ])("names the code-level equivalent of Nitro's %s", async (key, expected) => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const app = createNitroApp({ [key]: {} } as never);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(expected);
    await app.close();
  });

  it("warns about unknown keys inside option objects, experimental.tracingLogger included", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const app = createNitroApp({ experimental: { tracingLogger: true, asyncContext: false }, websocket: { idleTimout: 5 } } as never);
    expect(warn).toHaveBeenCalledTimes(1);
    const message = String(warn.mock.calls[0]?.[0]);
    expect(message).toMatch(/experimental\.tracingLogger is ignored: set `tracing: true`/);
    expect(message).toMatch(/websocket\.idleTimout is not a nitrokit or Nitro option \(did you mean 'idleTimeout'\?\)/);
    expect(message).not.toMatch(/asyncContext/);
    await app.close();
  });

  it("warns about an ignored key once, however many apps get it", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const config = { virtualModules: {}, imports: { autoImport: false } } as never;
    const apps = [createNitroApp(config), createNitroApp(config), createNitroApp(config)];
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/imports is ignored: there are no auto-imports/);
    await Promise.all(apps.map((app) => app.close()));
  });

  it("has a word for every key of Nitro 3's config that nitrokit does not read", async () => {
    // Nitro 3's NitroConfig keys (src/types/config.ts), minus the ones nitrokit reads (`logging` is its request log option).
    const nitroKeys = [
      "compatibilityDate", "debug", "preset", "static", "logLevel", "workspaceDir", "serverDir", "scanDirs", "apiDir", "routesDir",
      "buildDir", "output", "buildAssetsDir", "srcDir", "renderer", "ssrRoutes", "serveStatic", "noPublicDir", "tracingChannel",
      "manifest", "features", "wasm", "future", "publicAssets", "imports", "modules", "tasks", "virtual", "compressPublicAssets",
      "ignore", "devServer", "watchOptions", "devProxy", "apiBaseURL", "devHandlers", "routes",
      "devErrorHandler", "builder", "rollupConfig", "rolldownConfig", "entry", "unenv", "alias", "minify", "inlineDynamicImports",
      "sourcemap", "node", "oxc", "replace", "commonJS", "exportConditions", "noExternals", "traceDeps", "traceOpts", "typescript",
      "hooks", "commands", "framework", "iis", "defaultPreset", "extends", "awsAmplify", "awsLambda", "azure", "cloudflare",
      "firebase", "netlify", "vercel", "zephyr", "$test", "$development", "$production", "$env", "$meta",
    ];
    // A fresh copy of the package: earlier tests have used up some of these keys' one warning.
    vi.resetModules();
    const { createNitroApp: freshCreateNitroApp } = await import("../../src/index.js");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const app = freshCreateNitroApp(Object.fromEntries(nitroKeys.map((key) => [key, {}])) as never);
    expect(warn).toHaveBeenCalledTimes(1);
    const lines = String(warn.mock.calls[0]?.[0]).split("\n").slice(1);
    expect(lines).toHaveLength(nitroKeys.length);
    expect(nitroKeys.filter((key) => !lines.some((line) => line.startsWith(`  - ${key} is ignored: `)))).toEqual([]);
    await app.close();
  });

  it("refuses a config that is not an object", () => {
    expect(() => createNitroApp([] as never)).toThrow(/config must be an object/);
  });
});
