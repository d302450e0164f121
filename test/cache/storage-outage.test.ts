import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { createNitroApp, type NitroApp } from "../../src/index.js";
import { defineHandler, getRouterParam } from "../../src/h3.js";
import { defineCachedFunction, defineCachedHandler } from "../../src/cache/index.js";
import type { NitroNodeServer } from "../../src/adapters/node.js";
import { serveOnLoopback } from "../helpers.js";
import { describeWithRedisServer, freePort, OwnRedis } from "../fixtures/redis-server.js";
import { NITRO_FUNCTIONS, NITRO_HANDLERS } from "./nitro-keys.js";

/** The client gives up after this long: an app stuck on its storage fails here. */
const CLIENT_PATIENCE = 3_000;

describeWithRedisServer("a cache whose Redis goes down (a redis-server of the test's own)", () => {
  let redis: OwnRedis;
  let app: NitroApp;
  let server: NitroNodeServer;
  let base: string;
  const pageRuns = new Map<string, number>();
  const squareRuns = new Map<number, number>();
  const outages: string[] = [];

  const get = async (path: string) => {
    const res = await fetch(base + path, { signal: AbortSignal.timeout(CLIENT_PATIENCE) });
    return { status: res.status, cache: res.headers.get("x-cache"), body: await res.json() };
  };
  /** Asks until the key is served from the cache (the write after a miss lands in the background). */
  const untilHit = async (path: string) => {
    for (let attempt = 0; attempt < 100; attempt++) {
      const res = await get(path);
      if (res.cache === "HIT") return res;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${path} was never served from the cache`);
  };

  beforeAll(async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    redis = new OwnRedis(await freePort());
    await redis.start();
    app = createNitroApp({ storage: { cache: { driver: "redis", url: redis.url } } });
    app.hooks.hook("error", (error, { tags }) => {
      if (tags?.includes("storage")) outages.push(error.message);
    });
    app.get("/page/:id", defineCachedHandler((event) => {
      const id = getRouterParam(event, "id")!;
      pageRuns.set(id, (pageRuns.get(id) ?? 0) + 1);
      return { id, rendered: pageRuns.get(id) };
    }, { name: "page", maxAge: 60, cacheStatusHeader: true }));
    const square = defineCachedFunction((n: number) => {
      squareRuns.set(n, (squareRuns.get(n) ?? 0) + 1);
      return n * n;
    }, { name: "square", maxAge: 60, getKey: (n: number) => String(n) });
    app.get("/square/:n", defineHandler(async (event) => ({ square: await square(Number(getRouterParam(event, "n"))) })));
    ({ server, base } = await serveOnLoopback(app));
  });

  afterAll(async () => {
    redis?.thaw();
    await server?.close();
    await redis?.stop();
    vi.restoreAllMocks();
  });

  it("answers from the handler while Redis is down, reports the outage once, and caches again once it is back", async () => {
    // Warm: the entry is stored in Redis and served from it.
    expect(await get("/page/warm")).toMatchObject({ status: 200, cache: "MISS" });
    expect(await untilHit("/page/warm")).toMatchObject({ body: { id: "warm", rendered: 1 } });
    expect(await get("/square/3")).toEqual({ status: 200, cache: null, body: { square: 9 } });
    expect(await app.storage.getKeys(`cache:${NITRO_HANDLERS}:page`)).not.toHaveLength(0);

    await redis.stop();
    for (const id of ["a", "b", "c"]) {
      expect(await get(`/page/${id}`)).toMatchObject({ status: 200, body: { id, rendered: 1 } });
      expect(pageRuns.get(id)).toBe(1);
    }
    expect(await get("/square/4")).toMatchObject({ status: 200, body: { square: 16 } });
    expect(await get("/square/4")).toMatchObject({ status: 200, body: { square: 16 } });
    // Uncached while down: the function ran for each call.
    expect(squareRuns.get(4)).toBe(2);
    expect(outages).toHaveLength(1);
    expect(outages[0]).toMatch(/Cache storage 'cache' is unavailable/);

    await redis.start();
    // ioredis reconnects in the background; until it has, requests are (rightly) uncached.
    await vi.waitFor(() => app.storage.hasItem("cache:reconnected"), { timeout: 10_000, interval: 50 });
    // The cache is used again (an empty Redis, so a miss first).
    expect(await untilHit("/page/after")).toMatchObject({ body: { id: "after", rendered: 1 } });
    expect(pageRuns.get("after")).toBe(1);
    expect(await get("/square/5")).toMatchObject({ body: { square: 25 } });
    await vi.waitFor(async () => expect(await app.storage.getKeys(`cache:${NITRO_FUNCTIONS}:square`)).not.toHaveLength(0));
    expect(await get("/square/5")).toMatchObject({ body: { square: 25 } });
    expect(squareRuns.get(5)).toBe(1);
    expect(outages).toHaveLength(1);
  });

  it("does not wait on a Redis that accepts connections but never answers", async () => {
    redis.freeze();
    try {
      for (const id of ["frozen-1", "frozen-2"]) {
        expect(await get(`/page/${id}`)).toMatchObject({ status: 200, body: { id, rendered: 1 } });
      }
      expect(await get("/square/6")).toMatchObject({ status: 200, body: { square: 36 } });
      // A new outage after the recovery above: reported once more, once.
      expect(outages).toHaveLength(2);
      expect(outages[1]).toMatch(/no answer within/);
    } finally {
      redis.thaw();
    }
    expect(await untilHit("/page/thawed")).toMatchObject({ body: { id: "thawed", rendered: 1 } });
  });
});

describeWithRedisServer("a Redis cache mount that is down when the app starts", () => {
  it("starts and serves anyway, then caches once Redis comes up", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const redis = new OwnRedis(await freePort());
    const app = createNitroApp({ storage: { cache: { driver: "redis", url: redis.url } } });
    const outages: string[] = [];
    app.hooks.hook("error", (error, { tags }) => {
      if (tags?.includes("storage")) outages.push(error.message);
    });
    let runs = 0;
    app.get("/page", defineCachedHandler(() => ({ rendered: ++runs }), { name: "startup", maxAge: 60, cacheStatusHeader: true }));
    try {
      const { server, base } = await serveOnLoopback(app);
      const get = async () => {
        const res = await fetch(`${base}/page`, { signal: AbortSignal.timeout(CLIENT_PATIENCE) });
        return { cache: res.headers.get("x-cache"), body: await res.json() };
      };
      // The mount's driver loads (and dials Redis) on its first use, not in ready().
      expect(warn).not.toHaveBeenCalled();
      expect((await get()).body).toEqual({ rendered: 1 });
      expect(warn.mock.calls.some((call) => String(call[0]).includes("Storage mount 'cache': Redis is not reachable"))).toBe(true);
      expect((await get()).body).toEqual({ rendered: 2 });
      expect(outages).toHaveLength(1);

      await redis.start();
      await vi.waitFor(async () => expect((await get()).cache).toBe("HIT"), { timeout: 10_000, interval: 100 });
      const hits = runs;
      expect((await get()).body).toEqual({ rendered: hits });
      await server.close();
    } finally {
      await app.close();
      await redis.stop();
      vi.restoreAllMocks();
    }
  });

  it("gives Redis mounts fail-fast client options, which the mount's own options override", async () => {
    const redis = new OwnRedis(await freePort());
    await redis.start();
    const app = createNitroApp({
      storage: { cache: { driver: "redis", url: redis.url }, data: { driver: "redis", url: redis.url, maxRetriesPerRequest: 5 } },
    });
    try {
      await app.ready();
      // The first command loads the driver and waits for the connection: it does not meet one still being made.
      await app.storage.setItem("cache:first", "ok");
      expect(await app.storage.getItem("cache:first")).toBe("ok");
      await app.storage.hasItem("data:first");
      const options = (mount: string) => (app.storage.getMount(`${mount}:`).driver.getInstance!() as { options: Record<string, unknown> }).options;
      expect(options("cache")).toMatchObject({ enableOfflineQueue: false, connectTimeout: 1000, maxRetriesPerRequest: 1 });
      expect(options("data")).toMatchObject({ enableOfflineQueue: false, maxRetriesPerRequest: 5 });
    } finally {
      await app.close();
      await redis.stop();
    }
  });
});
