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

  it("warns once about unknown keys and build-only Nitro options", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const app = createNitroApp({ runtimeConfg: {}, preset: "node-server", srcDir: "server" } as never);
    expect(warn).toHaveBeenCalledTimes(1);
    const message = String(warn.mock.calls[0]?.[0]);
    expect(message).toMatch(/unknown config key 'runtimeConfg'/);
    expect(message).toMatch(/'preset', 'srcDir' have no effect/);
    await app.close();
  });

  it("refuses a config that is not an object", () => {
    expect(() => createNitroApp([] as never)).toThrow(/config must be an object/);
  });
});
