import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { definePlugin } from "../../src/index.js";
import { defineHandler } from "../../src/h3.js";
import { useStorage } from "../../src/storage/index.js";
import { appsClosedAfterEach } from "../helpers.js";

let rootDir: string;
beforeEach(async () => {
  rootDir = await mkdtemp(join(tmpdir(), "nitrokit-storage-"));
});
afterEach(async () => {
  await rm(rootDir, { recursive: true, force: true });
});
// Registered after the cleanup above, so (after-hooks running in reverse) apps close before their directory goes.
const makeApp = appsClosedAfterEach(() => ({ rootDir }));

describe("useStorage()", () => {
  it("runs the seed's counter route: data persists to <rootDir>/.data/kv", async () => {
    const app = makeApp();
    app.get("/api/counter", defineHandler(async (event) => {
      const storage = useStorage("data");
      let counter = (await storage.getItem<number>("counter")) || 0;
      counter++;
      await storage.setItem("counter", counter);
      await storage.setItem("lastAccess", { timestamp: Date.now(), userAgent: event.req.headers.get("user-agent") });
      return { counter, message: `Counter incremented to ${counter}` };
    }));
    expect(await app.$fetch("/api/counter")).toEqual({ counter: 1, message: "Counter incremented to 1" });
    expect(await app.$fetch("/api/counter")).toEqual({ counter: 2, message: "Counter incremented to 2" });
    expect(await readFile(join(rootDir, ".data/kv/counter"), "utf8")).toBe("2");

    // A new app on the same root sees the persisted value.
    await app.close();
    const again = makeApp();
    await again.ready();
    expect(await again.storage.getItem("data:counter")).toBe(2);
  });

  it("gives each app its own storage, resolved per request", async () => {
    const a = makeApp();
    const b = makeApp({ rootDir: await mkdtemp(join(tmpdir(), "nitrokit-storage-b-")) });
    for (const app of [a, b]) {
      app.post("/set/:value", defineHandler(async (event) => {
        await useStorage("cache").setItem("k", event.context.params!.value!);
        return useStorage("cache").getItem("k");
      }));
    }
    expect(await a.$fetch("/set/one", { method: "POST" })).toBe("one");
    expect(await b.$fetch("/set/two", { method: "POST" })).toBe("two");
    expect(await a.storage.getItem("cache:k")).toBe("one");
    expect(await b.storage.getItem("cache:k")).toBe("two");
  });

  it("mounts drivers from config and at run time, as in the seed's plugin", async () => {
    const memoryDriver = (await import("unstorage/drivers/memory")).default;
    const app = makeApp({ storage: { custom: { driver: "fs", base: join(rootDir, "custom") }, scratch: { driver: "memory" } } });
    app.plugin(definePlugin(() => {
      useStorage().mount("runtime", memoryDriver());
    }));
    await app.ready();
    await app.storage.setItem("custom:file", "on disk");
    expect(await readFile(join(rootDir, "custom/file"), "utf8")).toBe("on disk");
    await useStorage("runtime").setItem("x", 1);
    expect(await app.storage.getItem("runtime:x")).toBe(1);
    expect(app.storage.getMounts().map((m) => m.base).sort()).toEqual(["", "cache:", "custom:", "data:", "runtime:", "scratch:"]);
  });

  it("uses devStorage over storage with dev: true", async () => {
    const app = makeApp({ dev: true, storage: { cache: { driver: "memory" } }, devStorage: { cache: { driver: "fs", base: join(rootDir, "dev-cache") } } });
    await app.ready();
    await app.storage.setItem("cache:entry", "dev");
    expect(await readFile(join(rootDir, "dev-cache/entry"), "utf8")).toBe("dev");
  });

  it("bounds the default cache mount", async () => {
    const app = makeApp();
    await app.ready();
    const driver = app.storage.getMount("cache:").driver;
    expect(driver.name).toBe("lru-cache");
  });

  it("fails at creation for an unknown driver, naming the mount", () => {
    expect(() => makeApp({ storage: { kv: { driver: "no-such-driver" } } })).toThrow(/Storage mount 'kv': unknown driver 'no-such-driver'/);
  });

  it("fails ready() saying what to install when a driver's package is missing", async () => {
    // The planetscale driver needs @planetscale/database, which is not installed here.
    const app = makeApp({ storage: { db: { driver: "planetscale", url: "mysql://x" } } });
    await expect(app.ready()).rejects.toThrow(/Storage mount 'db': cannot load driver 'planetscale'\. It needs the package '@planetscale\/database': npm install @planetscale\/database/);
  });

  it("is unavailable before ready(), with a clear message", () => {
    const app = makeApp();
    expect(() => app.storage).toThrow(/available once app.ready\(\)/);
  });

  it("disposes every mount on close()", async () => {
    const app = makeApp();
    await app.ready();
    const dispose = vi.fn();
    app.storage.mount("tracked", { hasItem: () => false, getItem: () => null, getKeys: () => [], dispose });
    await app.close();
    expect(dispose).toHaveBeenCalledTimes(1);
  });
});
