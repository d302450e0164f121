import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fsDriver from "unstorage/drivers/fs";
import lruCacheDriver from "unstorage/drivers/lru-cache";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defineHandler } from "../../src/h3.js";
import { useStorage } from "../../src/storage/index.js";
import { FS_DRIVER_SHAPE, LRU_CACHE_DRIVER_SHAPE, lazyDriver, type LazyDriverShape } from "../../src/storage/lazy-driver.js";
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

describe("lazy drivers (the default data and cache mounts)", () => {
  it("have exactly the methods and flags of unstorage's fs and lru-cache drivers (unstorage falls back on missing ones)", () => {
    expect(declared(FS_DRIVER_SHAPE)).toEqual(shapeOf(fsDriver({ base: rootDir })));
    expect(declared(LRU_CACHE_DRIVER_SHAPE)).toEqual(shapeOf(lruCacheDriver({})));
  });

  it("hand over to the real driver's own methods once loaded (no wrapper left on a busy mount)", async () => {
    const real = lruCacheDriver({});
    const driver = lazyDriver("lru-cache", {}, LRU_CACHE_DRIVER_SHAPE, async () => real);
    expect(driver.getInstance!()).toBeUndefined();
    await driver.setItem!("k", "v", {});
    expect(driver.getInstance!()).toBe(real.getInstance!());
    expect(driver.getItem("k", {})).toBe("v"); // synchronous now: lru-cache's own getItem
  });

  it("load the driver once, on first use, and retry after a failed load", async () => {
    let loads = 0;
    let fail = true;
    const driver = lazyDriver("fs", { base: rootDir }, FS_DRIVER_SHAPE, async () => {
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
});
