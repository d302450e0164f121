import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createNitroApp, defineRateLimit, HTTPError, type NitroApp, type NitroConfig } from "nitrokit";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { appsClosedAfterEach, request, servedUntilEachTestEnds } from "../helpers.js";
import { describeWithRedisServer, freePort, OwnRedis } from "../fixtures/redis-server.js";

const makeApp = appsClosedAfterEach();
const served = servedUntilEachTestEnds();

/** Fires all requests at once and tallies the statuses. */
async function burst(urls: string[], init?: RequestInit): Promise<Record<number, number>> {
  const responses = await Promise.all(urls.map((url) => fetch(url, init)));
  const tally: Record<number, number> = {};
  for (const response of responses) {
    tally[response.status] = (tally[response.status] ?? 0) + 1;
    await response.arrayBuffer();
  }
  return tally;
}

function limitedApp(rateLimit: NonNullable<NitroConfig["routeRules"]>[string]["rateLimit"], config: NitroConfig = {}): NitroApp {
  const app = makeApp({ ...config, routeRules: { "/api/**": { rateLimit }, ...config.routeRules } });
  app.get("/api/**", () => ({ ok: true }));
  app.get("/open", () => ({ ok: true }));
  return app;
}

describe("rateLimit route rule (in-memory cache mount)", () => {
  it("lets exactly max of 100 concurrent HTTP requests through and answers the rest 429", async () => {
    // A storage answer later than `timeout` fails open: exactness is checked with a timeout no loaded machine reaches.
    const base = await served(limitedApp({ max: 10, window: 60, timeout: 30_000 }));
    const tally = await burst(Array.from({ length: 100 }, (_, i) => `${base}/api/item/${i}`));
    expect(tally).toEqual({ 200: 10, 429: 90 });
  });

  it("is exact on a driver that answers asynchronously (fs): updates to one key are serialized", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nitrokit-rl-"));
    try {
      const app = limitedApp({ max: 10, window: 60, storage: "counters", timeout: 30_000 }, { storage: { counters: { driver: "fs", base: dir } } });
      const statuses = await Promise.all(Array.from({ length: 100 }, (_, i) => request(app, `/api/item/${i}`).then((r) => r.status)));
      expect(statuses.filter((status) => status === 200)).toHaveLength(10);
      expect(statuses.filter((status) => status === 429)).toHaveLength(90);
      expect(await app.storage.getKeys("counters:nitrokit:ratelimit")).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("answers 429 with Retry-After, the IETF RateLimit headers and a JSON body", async () => {
    const app = limitedApp({ max: 2, window: "1m" });
    const first = await request(app, "/api/a");
    expect(first.status).toBe(200);
    expect(first.headers.get("ratelimit-policy")).toBe('"default";q=2;w=60');
    expect(first.headers.get("ratelimit")).toMatch(/^"default";r=1;t=(59|60)$/);
    expect((await request(app, "/api/b")).headers.get("ratelimit")).toMatch(/^"default";r=0;t=\d+$/);
    const limited = await request(app, "/api/c");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(59);
    expect(limited.headers.get("ratelimit")).toMatch(/^"default";r=0;t=\d+$/);
    expect(limited.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await limited.json()).toMatchObject({ error: true, status: 429, message: expect.stringContaining("at most 2 per 1 min") });
  });

  it("opens a new window once the old one closes", async () => {
    const app = limitedApp({ max: 1, window: "300ms" });
    expect((await request(app, "/api/x")).status).toBe(200);
    expect((await request(app, "/api/x")).status).toBe(429);
    await vi.waitFor(async () => expect((await request(app, "/api/x")).status).toBe(200), { timeout: 3000, interval: 50 });
    expect((await request(app, "/api/x")).status).toBe(429);
  });

  it("puts the RateLimit headers on the handler's errors too, and on no passing response with headers: false", async () => {
    const app = makeApp({ routeRules: { "/api/**": { rateLimit: { max: 5, window: 60 } }, "/quiet/**": { rateLimit: { max: 1, window: 60, headers: false } } } });
    app.get("/api/broken", () => {
      throw new HTTPError({ status: 409, message: "conflict" });
    });
    app.get("/quiet/x", () => "ok");
    const broken = await request(app, "/api/broken");
    expect(broken.status).toBe(409);
    expect(broken.headers.get("ratelimit")).toMatch(/^"default";r=4;/);
    expect((await request(app, "/quiet/x")).headers.has("ratelimit")).toBe(false);
    const limited = await request(app, "/quiet/x");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("ratelimit")).toMatch(/^"default";r=0;/);
  });

  it("costs nothing on paths the rule does not match", async () => {
    const app = limitedApp({ max: 1, window: 60 });
    for (let i = 0; i < 3; i++) {
      const response = await request(app, "/open");
      expect(response.status).toBe(200);
      expect(response.headers.has("ratelimit")).toBe(false);
    }
    expect(app.getRouteRules("GET", "/open").routeRuleMiddleware).toHaveLength(0);
  });

  it("runs before the global middleware and the handler: a limited request reaches neither", async () => {
    const reached: string[] = [];
    const app = limitedApp({ max: 1, window: 60 });
    app.use((event) => void reached.push(`middleware ${event.url.pathname}`));
    await request(app, "/api/one");
    await request(app, "/api/two");
    expect(reached).toEqual(["middleware /api/one"]);
  });

  it("keys by the socket address, never by a client-sent X-Forwarded-For unless proxies are trusted", async () => {
    const base = await served(limitedApp({ max: 1, window: 60 }));
    const spoofed = await burst([`${base}/api/a`, `${base}/api/a`], { headers: { "x-forwarded-for": "203.0.113.9" } });
    expect(spoofed).toEqual({ 200: 1, 429: 1 });

    const behindProxy = await served(limitedApp({ max: 1, window: 60, trustedProxies: 1 }));
    // One proxy appends the client it saw: the client-written entries on the left are ignored.
    const fromTwoClients = await burst([`${behindProxy}/api/a`], { headers: { "x-forwarded-for": "6.6.6.6, 198.51.100.1" } });
    const sameClientForged = await fetch(`${behindProxy}/api/a`, { headers: { "x-forwarded-for": "7.7.7.7, 198.51.100.1" } });
    const otherClient = await fetch(`${behindProxy}/api/a`, { headers: { "x-forwarded-for": "198.51.100.2" } });
    expect(fromTwoClients).toEqual({ 200: 1 });
    expect(sameClientForged.status).toBe(429);
    expect(otherClient.status).toBe(200);
  });

  it("a narrower pattern sets its own limit with its own counter", async () => {
    const app = makeApp({ routeRules: { "/api/**": { rateLimit: { max: 5, window: 60 } }, "/api/login": { rateLimit: { max: 1 } } } });
    app.all("/api/**", () => "ok");
    expect((await request(app, "/api/login")).status).toBe(200);
    expect((await request(app, "/api/login")).status).toBe(429);
    expect((await request(app, "/api/other")).headers.get("ratelimit")).toMatch(/^"default";r=4;/);
  });

  it("`rateLimit: false` lifts an inherited limit", async () => {
    const app = makeApp({ routeRules: { "/api/**": { rateLimit: { max: 1, window: 60 } }, "/api/health": { rateLimit: false } } });
    app.get("/api/**", () => "ok");
    for (let i = 0; i < 3; i++) expect((await request(app, "/api/health")).status).toBe(200);
  });

  it("refuses invalid options when the app is created, naming the rule and option", () => {
    expect(() => createNitroApp({ routeRules: { "/api/**": { rateLimit: { max: 0, window: 60 } } } })).toThrow(/routeRules\['\/api\/\*\*'\]\.rateLimit\.max: expected a whole number/);
    expect(() => createNitroApp({ routeRules: { "/x": { rateLimit: { max: 1, window: "soon" } } } })).toThrow(/rateLimit\.window: expected seconds/);
    expect(() => createNitroApp({ routeRules: { "/x": { rateLimit: { max: 1, window: 1, maxx: 2 } as never } } })).toThrow(/unknown option 'maxx'/);
  });
});

describe("defineRateLimit()", () => {
  it("limits by a custom key and lets requests without a key through uncounted", async () => {
    const app = makeApp();
    const limit = defineRateLimit({ name: "per-token", max: 2, window: 60, key: (event) => event.req.headers.get("x-token") ?? undefined });
    app.get("/data", () => "ok", { middleware: [limit] });
    const as = (token?: string) => request(app, "/data", { headers: token ? { "x-token": token } : {} });
    expect([(await as("a")).status, (await as("a")).status, (await as("a")).status]).toEqual([200, 200, 429]);
    expect((await as("b")).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await as()).status).toBe(200);
    expect((await as("b")).headers.get("ratelimit-policy")).toBe('"per-token";q=2;w=60');
  });

  it("rejects bad options at once", () => {
    expect(() => defineRateLimit({ max: 1.5, window: 1 })).toThrow(/defineRateLimit\(\)\.max/);
    expect(() => defineRateLimit({ max: 1, window: 1, storage: "" })).toThrow(/storage: expected a storage mount name/);
  });

  it("names a missing storage mount in a 500's log, and the server keeps serving", async () => {
    const app = makeApp();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    app.get("/x", () => "ok", { middleware: [defineRateLimit({ max: 1, window: 1, storage: "nowhere" })] });
    app.get("/fine", () => "fine");
    expect((await request(app, "/x")).status).toBe(500);
    expect(String(errors.mock.calls.flat().map((arg) => (arg instanceof Error ? arg.message : arg)))).toContain("no storage mount named 'nowhere'");
    expect(await (await request(app, "/fine")).text()).toBe("fine");
  });
});

describeWithRedisServer("rateLimit on a Redis mount", () => {
  let own: OwnRedis;
  beforeAll(async () => {
    own = new OwnRedis(await freePort());
    await own.start();
  });
  afterAll(async () => {
    await own?.stop();
  });

  const redisApp = (rateLimit: { max: number; window: number | string; failClosed?: boolean; timeout?: number }, base: string): NitroApp =>
    limitedApp(rateLimit, { storage: { cache: { driver: "redis", url: own.url, base } } });

  it("holds one exact limit across two app instances sharing Redis", async () => {
    const base = `rl-${Date.now()}-shared`;
    const [one, two] = await Promise.all([served(redisApp({ max: 10, window: 60, timeout: 30_000 }, base)), served(redisApp({ max: 10, window: 60, timeout: 30_000 }, base))]);
    const urls = Array.from({ length: 100 }, (_, i) => `${i % 2 ? one : two}/api/item/${i}`);
    expect(await burst(urls)).toEqual({ 200: 10, 429: 90 });
    // One Redis counter (INCR in a script), not one per instance: it saw all 100.
    const client = new Redis(own.url);
    try {
      const keys = await client.keys(`${base}:nitrokit:ratelimit:*`);
      expect(keys).toHaveLength(1);
      expect(await client.get(keys[0]!)).toBe("100");
      expect(await client.pttl(keys[0]!)).toBeGreaterThan(0);
    } finally {
      client.disconnect();
    }
  });

  it("opens a new window on Redis once the old one expires", async () => {
    const app = redisApp({ max: 1, window: "300ms" }, `rl-${Date.now()}-reset`);
    expect((await request(app, "/api/x")).status).toBe(200);
    expect((await request(app, "/api/x")).status).toBe(429);
    await vi.waitFor(async () => expect((await request(app, "/api/x")).status).toBe(200), { timeout: 3000, interval: 50 });
  });

  describe("with its Redis down", () => {
    let down: OwnRedis;
    beforeAll(async () => {
      down = new OwnRedis(await freePort());
      await down.start();
    });
    afterAll(async () => {
      down.thaw();
      await down.stop();
    });

    const downApp = (options: { failClosed?: boolean }) => limitedApp({ max: 1, window: 60, timeout: 300, ...options }, { storage: { cache: { driver: "redis", url: down.url, base: `rl-${Date.now()}-down` } } });

    it("lets requests through (fail open) while Redis hangs, telling the error hook once per outage", async () => {
      const app = downApp({});
      const reported: unknown[] = [];
      app.hooks.hook("error", (error) => void reported.push(error));
      expect((await request(app, "/api/x")).status).toBe(200);
      down.freeze();
      try {
        const statuses = await Promise.all(Array.from({ length: 5 }, () => request(app, "/api/x").then((r) => r.status)));
        expect(statuses).toEqual([200, 200, 200, 200, 200]);
        expect((await request(app, "/api/x")).status).toBe(200);
        expect(reported).toHaveLength(1);
        expect(String((reported[0] as Error).message)).toContain("storage mount 'cache' failed");
      } finally {
        down.thaw();
      }
      // Back: counting resumes (the first request of this window was counted before the outage).
      await vi.waitFor(async () => expect((await request(app, "/api/x")).status).toBe(429), { timeout: 5000, interval: 100 });
    });

    it("answers 503 while the storage is down with failClosed: true", async () => {
      const app = downApp({ failClosed: true });
      app.hooks.hook("error", () => {});
      await app.ready();
      down.freeze();
      try {
        const response = await request(app, "/api/x");
        expect(response.status).toBe(503);
        expect(response.headers.get("retry-after")).toBe("1");
        expect(await response.json()).toMatchObject({ error: true, status: 503 });
      } finally {
        down.thaw();
      }
    });
  });
});
