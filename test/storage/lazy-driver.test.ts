import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fsDriver from "unstorage/drivers/fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defineHandler } from "../../src/h3.js";
import { useStorage } from "../../src/storage/index.js";
import { FS_DRIVER_SHAPE, lazyDriver } from "../../src/storage/lazy-driver.js";
import { appsClosedAfterEach } from "../helpers.js";

let rootDir: string;
beforeEach(async () => {
  rootDir = await mkdtemp(join(tmpdir(), "nitrokit-lazy-driver-"));
});
afterEach(async () => {
  await rm(rootDir, { recursive: true, force: true });
});
const makeApp = appsClosedAfterEach(() => ({ rootDir }));

describe("lazy drivers (the default data mount)", () => {
  it("have exactly the methods and flags of unstorage's fs driver (unstorage falls back on missing ones)", () => {
    const real = fsDriver({ base: rootDir }) as unknown as Record<string, unknown>;
    const methods = Object.keys(real).filter((key) => typeof real[key] === "function" && key !== "getInstance");
    expect([...FS_DRIVER_SHAPE.methods].sort()).toEqual(methods.sort());
    expect(FS_DRIVER_SHAPE.flags).toEqual(real.flags);
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
