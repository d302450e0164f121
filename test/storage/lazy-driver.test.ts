import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtinDrivers, type Driver } from "unstorage";
import fsDriver from "unstorage/drivers/fs";
import lruCacheDriver from "unstorage/drivers/lru-cache";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { defineHandler } from "../../src/h3.js";
import { useStorage } from "../../src/storage/index.js";
import { assertDriverClients } from "../../src/storage/drivers.js";
import { DRIVER_SHAPES, lazyDriver, type LazyDriverShape } from "../../src/storage/lazy-driver.js";
import { appsClosedAfterEach } from "../helpers.js";

let rootDir: string;
beforeEach(async () => {
  rootDir = await mkdtemp(join(tmpdir(), "nitrokit-lazy-driver-"));
});
afterEach(async () => {
  await rm(rootDir, { recursive: true, force: true });
});
const makeApp = appsClosedAfterEach(() => ({ rootDir }));

/** What a lazy driver must mirror of a real one: its methods, whether it has getInstance, its flags. */
function shapeOf(driver: object): { methods: string[]; getInstance: boolean; flags: unknown } {
  const real = driver as Record<string, unknown>;
  const methods = Object.keys(real).filter((key) => typeof real[key] === "function" && key !== "getInstance");
  return { methods: methods.sort(), getInstance: typeof real.getInstance === "function", flags: real.flags };
}
const declared = (shape: LazyDriverShape) => ({ methods: [...shape.methods].sort(), getInstance: shape.getInstance === true, flags: shape.flags });

/**
 * Harmless options for each driver with a shape: nothing is read, written or dialled by creating
 * it. The redis driver creates its ioredis client only in its methods (or with `preConnect`,
 * which these options leave out); `lazyConnect` would stop ioredis dialling even then.
 */
const HARMLESS_OPTIONS = (dir: string): Record<string, Record<string, unknown>> => ({
  fs: { base: dir },
  "fs-lite": { base: dir },
  memory: {},
  "lru-cache": {},
  redis: { url: "redis://127.0.0.1:1", lazyConnect: true },
  http: { base: "http://127.0.0.1:1" },
});

describe("lazy drivers (mounts whose driver loads on first use)", () => {
  it("have exactly the methods and flags of the unstorage drivers they stand for (unstorage falls back on missing ones)", async () => {
    const options = HARMLESS_OPTIONS(rootDir);
    expect(Object.keys(DRIVER_SHAPES).sort()).toEqual(Object.keys(options).sort());
    for (const [module, shape] of Object.entries(DRIVER_SHAPES)) {
      const specifier = builtinDrivers[module as keyof typeof builtinDrivers];
      const create = ((await import(specifier)) as { default: (options: Record<string, unknown>) => Driver }).default;
      const real = create(options[module]!);
      // The lazy driver's name is its module's: the real driver's own (code reads `driver.name`).
      expect({ module, ...declared(shape) }).toEqual({ module: real.name, ...shapeOf(real) });
    }
  });

  it("check a mount's client package in ready() without importing it, naming the mount and what to install", () => {
    const shape: LazyDriverShape = { ...DRIVER_SHAPES.redis!, clients: ["@nitrokit-test/not-installed"] };
    expect(() => assertDriverClients("sessions", { driver: "redis" }, shape)).toThrow(
      "[nitrokit] Storage mount 'sessions': cannot load driver 'redis'. It needs the package '@nitrokit-test/not-installed': npm install @nitrokit-test/not-installed",
    );
    expect(() => assertDriverClients("sessions", { driver: "redis" }, DRIVER_SHAPES.redis!)).not.toThrow(); // ioredis is installed here
  });

  it("hand over to the real driver's own methods once loaded (no wrapper left on a busy mount)", async () => {
    const real = lruCacheDriver({});
    const driver = lazyDriver("lru-cache", {}, DRIVER_SHAPES["lru-cache"]!, async () => real);
    expect(driver.getInstance!()).toBeUndefined();
    await driver.setItem!("k", "v", {});
    expect(driver.getInstance!()).toBe(real.getInstance!());
    expect(driver.getItem("k", {})).toBe("v"); // synchronous now: lru-cache's own getItem
  });

  it("load the driver once, on first use, and retry after a failed load", async () => {
    let loads = 0;
    let fail = true;
    const driver = lazyDriver("fs", { base: rootDir }, DRIVER_SHAPES.fs!, async () => {
      loads++;
      if (fail) throw new Error("driver missing");
      return fsDriver({ base: rootDir });
    });
    await driver.dispose!();
    expect(loads).toBe(0);
    await expect(driver.getItem("a", {})).rejects.toThrow("driver missing");
    fail = false;
    await Promise.all([driver.setItem!("a", "1", {}), driver.hasItem("a", {})]);
    expect(await driver.getItem("a", {})).toBe("1");
    expect(loads).toBe(2);
  });

  it("serve the app's default data mount: files under .data/kv, written and read back", async () => {
    const app = makeApp();
    app.post("/kv", defineHandler(async () => {
      await useStorage("data").setItem("counter", 1);
      return { value: await useStorage("data").getItem("counter"), keys: await useStorage("data").getKeys() };
    }));
    const response = await app.fetch(new Request("http://localhost/kv", { method: "POST" }));
    expect(await response.json()).toEqual({ value: 1, keys: ["counter"] });
    const files = await fsDriver({ base: join(rootDir, ".data/kv") }).getKeys("", {});
    expect(files).toEqual(["counter"]);
  });

  it("serve configured mounts too: the driver is created on the mount's first use, not in ready()", async () => {
    const app = makeApp({ storage: { scratch: { driver: "memory" }, files: { driver: "fsLite", base: join(rootDir, "files") } } });
    await app.ready();
    expect(app.storage.getMount("files:").driver.name).toBe("fs-lite"); // an alias names the real driver
    const scratch = app.storage.getMount("scratch:").driver;
    expect(scratch.getInstance!()).toBeUndefined(); // memory's Map does not exist yet
    await app.storage.setItem("scratch:a", "1");
    expect((scratch.getInstance!() as Map<string, unknown>).get("a")).toBe("1");
    await app.storage.setItem("files:b", "2");
    expect(await fsDriver({ base: join(rootDir, "files") }).getItem("b", {})).toBe("2");
  });

  it("leave a configured Redis mount that no request used alone: ready() and close() neither load nor dial it", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      // Nothing listens on port 1: a load would dial it and warn that Redis is not reachable.
      const app = makeApp({ storage: { cache: { driver: "redis", url: "redis://127.0.0.1:1" } } });
      await app.ready();
      expect(app.storage.getMount("cache:").driver.getInstance!()).toBeUndefined();
      await app.close();
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it("degrade a Redis mount that is down at its first use: the command fails at once, naming the mount in a warning", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const app = makeApp({ storage: { sessions: { driver: "redis", url: "redis://127.0.0.1:1" } } });
      await app.ready();
      await expect(app.storage.getItem("sessions:x")).rejects.toThrow();
      expect(warn.mock.calls.some((call) => String(call[0]).includes("Storage mount 'sessions': Redis is not reachable"))).toBe(true);
    } finally {
      warn.mockRestore();
    }
  });
});
