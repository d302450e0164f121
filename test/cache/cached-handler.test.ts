import { describe, expect, it } from "vitest";
import type { NitroApp } from "../../src/index.js";
import { H3Event, setCookie, setResponseHeader } from "../../src/h3.js";
import { defineCachedEventHandler, defineCachedHandler } from "../../src/cache/index.js";
import { appsClosedAfterEach, request, sleep } from "../helpers.js";

const createApp = appsClosedAfterEach(() => ({ storage: { data: { driver: "memory" } } }));
async function makeApp(): Promise<NitroApp> {
  const app = createApp();
  await app.ready();
  return app;
}

describe("defineCachedHandler", () => {
  it("runs the seed's expensive route: computed once, then served from cache", async () => {
    const app = await makeApp();
    let computations = 0;
    app.get("/api/expensive", defineCachedHandler(async () => {
      computations++;
      await sleep(600); // the seed sleeps 2 s
      return { timestamp: new Date().toISOString(), random: Math.random(), computation: "expensive result" };
    }, { maxAge: 60 * 60, swr: true, name: "expensive-operation", getKey: (event) => event.url.pathname }));
    const first = await request(app, "/api/expensive");
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toMatch(/application\/json/);
    const body = await first.json();
    const started = Date.now();
    const second = await request(app, "/api/expensive");
    expect(Date.now() - started).toBeLessThan(300);
    expect(await second.json()).toEqual(body);
    expect(computations).toBe(1);
  });

  it("sets ETag, Last-Modified and Cache-Control, and answers conditional requests with 304", async () => {
    const app = await makeApp();
    app.get("/doc", defineCachedHandler(() => ({ doc: 1 }), { maxAge: 120, swr: true, staleMaxAge: 60 }));
    const res = await request(app, "/doc");
    const etag = res.headers.get("etag");
    const lastModified = res.headers.get("last-modified");
    expect(etag).toBeTruthy();
    expect(lastModified).toBeTruthy();
    expect(res.headers.get("cache-control")).toMatch(/max-age=120/);
    expect(res.headers.get("cache-control")).toMatch(/stale-while-revalidate=60/);
    const byEtag = await request(app, "/doc", { headers: { "if-none-match": etag! } });
    expect(byEtag.status).toBe(304);
    expect(await byEtag.text()).toBe("");
    const byDate = await request(app, "/doc", { headers: { "if-modified-since": lastModified! } });
    expect(byDate.status).toBe(304);
  });

  it("caches GET and HEAD only, and only cacheable statuses", async () => {
    const app = await makeApp();
    let runs = 0;
    const handler = defineCachedHandler((event) => {
      runs++;
      if (event.url.searchParams.get("fail")) {
        event.res.status = 503;
        return { unavailable: true };
      }
      return { runs };
    }, { maxAge: 60 });
    app.all("/thing", handler);
    await request(app, "/thing", { method: "POST" });
    await request(app, "/thing", { method: "POST" });
    expect(runs).toBe(2);
    await request(app, "/thing");
    await request(app, "/thing");
    expect(runs).toBe(3);
    await request(app, "/thing?fail=1");
    await request(app, "/thing?fail=1");
    expect(runs).toBe(5);
  });

  it("never stores or replays Set-Cookie", async () => {
    const app = await makeApp();
    let runs = 0;
    app.get("/login", defineCachedHandler((event) => {
      runs++;
      setCookie(event, "session", `secret-${runs}`);
      return { runs };
    }, { maxAge: 60 }));
    const first = await request(app, "/login");
    const second = await request(app, "/login");
    expect(second.headers.get("set-cookie")).not.toBe(first.headers.get("set-cookie") ?? "none");
    const keys = await app.storage.getKeys("cache:");
    for (const key of keys) expect(JSON.stringify(await app.storage.getItem(key))).not.toMatch(/secret-1/);
  });

  it("keeps credentials from the handler unless varied on", async () => {
    const app = await makeApp();
    app.get("/whoami", defineCachedHandler((event) => ({ auth: event.req.headers.get("authorization") }), { maxAge: 60 }));
    expect(await (await request(app, "/whoami", { headers: { authorization: "Bearer alice" } })).json()).toEqual({ auth: null });
    app.get("/whoami-varied", defineCachedHandler((event) => ({ auth: event.req.headers.get("authorization") }), { maxAge: 60, varies: ["authorization"] }));
    expect(await (await request(app, "/whoami-varied", { headers: { authorization: "Bearer alice" } })).json()).toEqual({ auth: "Bearer alice" });
    expect(await (await request(app, "/whoami-varied", { headers: { authorization: "Bearer bob" } })).json()).toEqual({ auth: "Bearer bob" });
  });

  it("keys on host, query string and varied headers", async () => {
    const app = await makeApp();
    let runs = 0;
    app.get("/list", defineCachedEventHandler((event) => ({ runs: ++runs, q: event.url.search, lang: event.req.headers.get("accept-language") }), { maxAge: 60, varies: ["accept-language"] }));
    const get = (path: string, headers: Record<string, string> = {}) =>
      app.fetch(new Request(`http://${headers.host ?? "localhost"}${path}`, { headers })).then((r) => r.json());
    expect(await get("/list?page=1")).toMatchObject({ runs: 1, q: "?page=1" });
    expect(await get("/list?page=1")).toMatchObject({ runs: 1 });
    expect(await get("/list?page=2")).toMatchObject({ runs: 2, q: "?page=2" });
    expect(await get("/list?page=1", { "accept-language": "fr" })).toMatchObject({ runs: 3, lang: "fr" });
    expect(await get("/list?page=1", { host: "other.example" })).toMatchObject({ runs: 4 });
  });

  it("keeps headers the handler set", async () => {
    const app = await makeApp();
    app.get("/h", defineCachedHandler((event) => {
      setResponseHeader(event, "x-custom", "kept");
      return "text";
    }, { maxAge: 60 }));
    await request(app, "/h");
    const cached = await request(app, "/h");
    expect(cached.headers.get("x-custom")).toBe("kept");
    expect(await cached.text()).toBe("text");
  });

  it("headersOnly answers 304 from the handler's validators and stores nothing", async () => {
    const app = await makeApp();
    let runs = 0;
    app.get("/ho", defineCachedHandler((event) => {
      runs++;
      setResponseHeader(event, "etag", '"v1"');
      return { runs };
    }, { headersOnly: true, maxAge: 60 }));
    expect((await request(app, "/ho", { headers: { "if-none-match": '"v1"' } })).status).toBe(304);
    expect((await request(app, "/ho")).status).toBe(200);
    expect(runs).toBe(2);
    expect(await app.storage.getKeys("cache:")).toEqual([]);
  });
});

describe("defineCachedHandler: hits answered from process memory", () => {
  it("invalidate() forgets at once; another instance's invalidation is seen within a second", async () => {
    const memoryDriver = (await import("unstorage/drivers/memory")).default;
    const shared = memoryDriver();
    let renders = 0;
    // Two handler definitions over one storage stand for two processes sharing Redis.
    const render = () => ({ render: ++renders });
    const onA = defineCachedHandler(render, { name: "shared-page", maxAge: 60 });
    const onB = defineCachedHandler(render, { name: "shared-page", maxAge: 60 });
    const a = createApp();
    const b = createApp();
    await Promise.all([a.ready(), b.ready()]);
    for (const app of [a, b]) {
      await app.storage.unmount("cache");
      app.storage.mount("cache", shared);
    }
    a.get("/page", onA);
    b.get("/page", onB);
    // invalidate() takes an event addressing the resource: build one for /page inside a request of A.
    a.get("/purge", async (event) => (await onA.invalidate(new H3Event(new Request("http://localhost/page"), {}, event.app)), "purged"));

    expect(await (await request(a, "/page")).json()).toEqual({ render: 1 });
    expect(await (await request(b, "/page")).json()).toEqual({ render: 1 }); // from shared storage
    expect(await (await request(b, "/page")).json()).toEqual({ render: 1 }); // remembered in B's memory
    expect(await (await request(a, "/purge")).text()).toBe("purged");
    expect(await (await request(a, "/page")).json()).toEqual({ render: 2 }); // A forgot at once
    expect(await (await request(b, "/page")).json()).toEqual({ render: 1 }); // B may serve its memory…
    await sleep(1100);
    expect(await (await request(b, "/page")).json()).toEqual({ render: 2 }); // …for at most a second
  });

  it("keeps apps in one process apart", async () => {
    const page = defineCachedHandler((event) => ({ app: event.context.appName }), { name: "per-app", maxAge: 60 });
    const make = async (name: string) => {
      const app = createApp();
      await app.ready();
      app.use((event) => void (event.context.appName = name));
      app.get("/p", page);
      return app;
    };
    const a = await make("a");
    const b = await make("b");
    for (let i = 0; i < 3; i++) {
      expect(await (await request(a, "/p")).json()).toEqual({ app: "a" });
      expect(await (await request(b, "/p")).json()).toEqual({ app: "b" });
    }
  });
});
