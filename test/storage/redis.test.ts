import { afterAll, beforeAll, expect, it } from "vitest";
import { createNitroApp, type NitroApp } from "../../src/index.js";
import { defineHandler } from "../../src/h3.js";
import { useStorage } from "../../src/storage/index.js";
import { NITRO_FUNCTIONS } from "../cache/nitro-keys.js";
import { describeWithService, uniqueName } from "../fixtures/services.js";

describeWithService("REDIS", "storage on a real Redis, shared by two app instances", (url) => {
  const base = uniqueName("nitrokit");
  let a: NitroApp;
  let b: NitroApp;

  beforeAll(async () => {
    const make = () => {
      const app = createNitroApp({ storage: { redis: { driver: "redis", url, base } } });
      app.post("/api/session/:id", defineHandler(async (event) => {
        await useStorage("redis").setItem(`session:${event.context.params!.id}`, { userId: 456, expires: Date.now() + 3_600_000 });
        return { stored: true };
      }));
      app.get("/api/session/:id", defineHandler((event) => useStorage("redis").getItem(`session:${event.context.params!.id}`)));
      return app;
    };
    a = make();
    b = make();
    await Promise.all([a.ready(), b.ready()]);
  });

  afterAll(async () => {
    await a?.storage.clear("redis");
    await Promise.all([a?.close(), b?.close()]);
  });

  it("a write through one instance is read by the other", async () => {
    expect(await a.$fetch("/api/session/123", { method: "POST" })).toEqual({ stored: true });
    expect(await b.$fetch("/api/session/123")).toMatchObject({ userId: 456 });
  });

  it("supports TTLs, key listing and removal", async () => {
    await a.storage.setItem("redis:ephemeral", "x", { ttl: 1 });
    expect(await b.storage.hasItem("redis:ephemeral")).toBe(true);
    expect(await b.storage.getKeys("redis:session")).toEqual(["redis:session:123"]);
    await b.storage.removeItem("redis:session:123");
    expect(await a.storage.hasItem("redis:session:123")).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(await a.storage.hasItem("redis:ephemeral")).toBe(false);
  });
});

describeWithService("REDIS", "cache on a real Redis, shared by two app instances", (url) => {
  const base = uniqueName("nitrokit_cache");
  let a: NitroApp;
  let b: NitroApp;
  let runs = 0;

  beforeAll(async () => {
    const { defineCachedFunction, defineCachedHandler } = await import("../../src/cache/index.js");
    const compute = defineCachedFunction(async (n: number) => {
      runs++;
      return { square: n * n };
    }, { name: "square", maxAge: 60, base: "redis", getKey: (n: number) => String(n) });
    const page = defineCachedHandler(() => ({ rendered: ++runs }), { name: "page", maxAge: 60, base: "redis" });
    const make = () => {
      const app = createNitroApp({ storage: { redis: { driver: "redis", url, base } } });
      app.get("/square/:n", defineHandler((event) => compute(Number(event.context.params!.n))));
      app.get("/page", page);
      return app;
    };
    a = make();
    b = make();
    await Promise.all([a.ready(), b.ready()]);
  });

  afterAll(async () => {
    await a?.storage.clear("redis");
    await Promise.all([a?.close(), b?.close()]);
  });

  it("an entry computed on one instance is a hit on the other, with a storage TTL", async () => {
    runs = 0;
    expect(await a.$fetch("/square/12")).toEqual({ square: 144 });
    expect(await b.$fetch("/square/12")).toEqual({ square: 144 });
    expect(runs).toBe(1);
    const [key] = await a.storage.getKeys(`redis:${NITRO_FUNCTIONS}:square`);
    expect(key).toBeDefined();
    const ttl = await (a.storage.getMount("redis:").driver.getInstance!() as { ttl(key: string): Promise<number> }).ttl(`${base}:${key!.slice("redis:".length)}`);
    expect(ttl).toBeGreaterThan(60);
    expect(ttl).toBeLessThanOrEqual(120);
  });

  it("a cached response rendered on one instance is served by the other", async () => {
    runs = 0;
    const first = await (await a.fetch(new Request("http://localhost/page"))).json();
    const second = await (await b.fetch(new Request("http://localhost/page"))).json();
    expect(second).toEqual(first);
    expect(runs).toBe(1);
  });
});
