import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { NitroApp, NitroConfig } from "../../src/index.js";
import { defineHandler } from "../../src/h3.js";
import { defineCachedFunction } from "../../src/cache/index.js";
import { NITRO_FUNCTIONS } from "./nitro-keys.js";
import { appsClosedAfterEach, sleep } from "../helpers.js";

const createApp = appsClosedAfterEach(() => ({ storage: { data: { driver: "memory" } } }));
async function makeApp(config: NitroConfig = {}): Promise<NitroApp> {
  const app = createApp(config);
  await app.ready();
  return app;
}

describe("defineCachedFunction", () => {
  let upstream: http.Server;
  let upstreamCalls = 0;
  let upstreamURL = "";
  beforeAll(async () => {
    // A local stand-in for api.github.com.
    upstream = http.createServer((req, res) => {
      upstreamCalls++;
      res.setHeader("content-type", "application/json");
      if (req.url?.includes("missing")) {
        res.statusCode = 404;
        return res.end("{}");
      }
      res.end(JSON.stringify({ stargazers_count: 5234, forks_count: 432, open_issues_count: 45 }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    upstreamURL = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    upstream.closeAllConnections();
    upstream.close();
  });

  it("runs the seed's GitHub-stars example: one upstream call for repeated requests", async () => {
    const getRepoStars = defineCachedFunction(
      async (repo: string) => {
        const response = await fetch(`${upstreamURL}/repos/${repo}`);
        if (!response.ok) throw new Error(`GitHub API error: ${response.status}`);
        const data = await response.json();
        return { stars: data.stargazers_count, forks: data.forks_count, openIssues: data.open_issues_count };
      },
      { maxAge: 60 * 60, name: "ghRepoStats", getKey: (repo: string) => repo },
    );
    const app = await makeApp();
    app.get("/api/github/**:repo", defineHandler(async (event) => {
      const repo = event.context.params!.repo!;
      try {
        return { repository: repo, ...(await getRepoStars(repo)) };
      } catch (error) {
        return { repository: repo, error: (error as Error).message, stars: 0 };
      }
    }));
    upstreamCalls = 0;
    const expected = { repository: "nitrojs/nitro", stars: 5234, forks: 432, openIssues: 45 };
    expect(await app.$fetch("/api/github/nitrojs/nitro")).toEqual(expected);
    expect(await app.$fetch("/api/github/nitrojs/nitro")).toEqual(expected);
    expect(upstreamCalls).toBe(1);
    expect(await app.$fetch("/api/github/x/missing")).toEqual({ repository: "x/missing", error: "GitHub API error: 404", stars: 0 });
    // Entries live in the app's `cache` mount, under Nitro's group and the given name.
    const keys = await app.storage.getKeys(`cache:${NITRO_FUNCTIONS}:ghRepoStats`);
    expect(keys).toHaveLength(1);
  });

  it("is stampede-safe: 200 concurrent misses run the function once", async () => {
    const app = await makeApp();
    let runs = 0;
    const slow = defineCachedFunction(async (id: number) => {
      runs++;
      await sleep(50);
      return { id, at: Date.now() };
    }, { name: "stampede", maxAge: 60 });
    app.get("/slow/:id", defineHandler((event) => slow(Number(event.context.params!.id))));
    const results = await Promise.all(Array.from({ length: 200 }, () => app.$fetch<{ id: number; at: number }>("/slow/7")));
    expect(runs).toBe(1);
    expect(new Set(results.map((r) => r.at)).size).toBe(1);
  });

  it("with swr serves the stale value at once and refreshes it once in the background", async () => {
    const app = await makeApp();
    let version = 0;
    const value = defineCachedFunction(async () => {
      await sleep(600);
      return ++version;
    }, { name: "swr", maxAge: 1, staleMaxAge: 10, swr: true });
    app.get("/v", defineHandler(() => value()));
    expect(await app.$fetch("/v")).toBe(1);
    await sleep(1100);
    const started = Date.now();
    const stale = await Promise.all([app.$fetch("/v"), app.$fetch("/v"), app.$fetch("/v")]);
    expect(stale).toEqual([1, 1, 1]);
    // Well under the 600 ms refresh, with room for a loaded CI machine.
    expect(Date.now() - started).toBeLessThan(300);
    await sleep(800);
    expect(await app.$fetch("/v")).toBe(2);
    expect(version).toBe(2);
  });

  it("enforces staleMaxAge: past maxAge + staleMaxAge the value is recomputed before answering", async () => {
    const app = await makeApp();
    let version = 0;
    const value = defineCachedFunction(async () => ++version, { name: "stale-limit", maxAge: 1, staleMaxAge: 1, swr: true });
    app.get("/v", defineHandler(() => value()));
    expect(await app.$fetch("/v")).toBe(1);
    await sleep(2200);
    expect(await app.$fetch("/v")).toBe(2);
  });

  it("a failed refresh keeps the stale value and reports the error", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.spyOn(console, "error").mockImplementation(() => {});
    const app = await makeApp();
    const errors: string[] = [];
    app.hooks.hook("error", (error, { tags }) => void errors.push(`${tags.join(",")}:${error.message}`));
    let fail = false;
    const value = defineCachedFunction(async () => {
      if (fail) throw new Error("upstream down");
      return "good";
    }, { name: "refresh-fails", maxAge: 1, staleMaxAge: 60, swr: true });
    app.get("/v", defineHandler(() => value()));
    expect(await app.$fetch("/v")).toBe("good");
    fail = true;
    await sleep(1100);
    expect(await app.$fetch("/v")).toBe("good");
    await sleep(50);
    expect(await app.$fetch("/v")).toBe("good");
    expect(errors.some((e) => e.includes("upstream down"))).toBe(true);
  });

  it("stores every entry with a TTL of maxAge + staleMaxAge", async () => {
    const ttls: Array<number | undefined> = [];
    const store = new Map<string, string>();
    const app = await makeApp();
    await app.storage.unmount("cache");
    app.storage.mount("cache", {
      hasItem: (key) => store.has(key),
      getItem: (key) => store.get(key) ?? null,
      setItem: (key, value, opts) => {
        ttls.push(opts?.ttl);
        store.set(key, value);
      },
      removeItem: (key) => void store.delete(key),
      getKeys: () => [...store.keys()],
    });
    const value = defineCachedFunction(async () => "x", { name: "ttl", maxAge: 30, staleMaxAge: 90 });
    const plain = defineCachedFunction(async () => "y", { name: "ttl-noswr", maxAge: 30, swr: false });
    const defaulted = defineCachedFunction(async () => "z", { name: "ttl-default", maxAge: 40 });
    app.get("/v", defineHandler(async () => [await value(), await plain(), await defaulted()]));
    await app.$fetch("/v");
    await sleep(20);
    expect(ttls).toEqual([120, 30, 80]);
  });

  it("integrity: entries written under another integrity value are misses", async () => {
    const app = await makeApp();
    let runs = 0;
    const v1 = defineCachedFunction(async () => ({ version: 1, runs: ++runs }), { name: "integrity", maxAge: 60, integrity: "schema-1" });
    const v2 = defineCachedFunction(async () => ({ version: 2, runs: ++runs }), { name: "integrity", maxAge: 60, integrity: "schema-2" });
    app.get("/v1", defineHandler(() => v1()));
    app.get("/v2", defineHandler(() => v2()));
    expect(await app.$fetch("/v1")).toEqual({ version: 1, runs: 1 });
    expect(await app.$fetch("/v1")).toEqual({ version: 1, runs: 1 });
    // Same name and key, new integrity (a deploy that changed the shape): recomputed, not served.
    expect(await app.$fetch("/v2")).toEqual({ version: 2, runs: 2 });
    expect(await app.$fetch("/v2")).toEqual({ version: 2, runs: 2 });
  });

  it("treats a corrupt entry as a miss", async () => {
    const app = await makeApp();
    let runs = 0;
    const value = defineCachedFunction(async () => ++runs, { name: "corrupt", maxAge: 60, getKey: () => "k" });
    app.get("/v", defineHandler(() => value()));
    expect(await app.$fetch("/v")).toBe(1);
    const [key] = await app.storage.getKeys(`cache:${NITRO_FUNCTIONS}:corrupt`);
    await app.storage.setItem(key!, "not an entry {{{");
    expect(await app.$fetch("/v")).toBe(2);
  });

  it("runs uncached with a warning, never a 500, when the storage backend is down", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.spyOn(console, "error").mockImplementation(() => {});
    const app = await makeApp();
    const down = () => {
      throw new Error("ECONNREFUSED cache backend");
    };
    await app.storage.unmount("cache");
    app.storage.mount("cache", { hasItem: down, getItem: down, setItem: down, removeItem: down, getKeys: down });
    let runs = 0;
    const value = defineCachedFunction(async () => ++runs, { name: "down", maxAge: 60 });
    app.get("/v", defineHandler(() => value()));
    expect(await app.$fetch("/v")).toBe(1);
    expect(await app.$fetch("/v")).toBe(2);
    expect(warn.mock.calls.some((call) => String(call[1] ?? call[0]).includes("ECONNREFUSED"))).toBe(true);
  });

  it("honours shouldBypassCache, shouldInvalidateCache, validate and transform", async () => {
    const app = await makeApp();
    let runs = 0;
    const fn = async (mode: string) => ({ runs: ++runs, mode });
    const value = defineCachedFunction(fn, {
      name: "hooks",
      maxAge: 60,
      swr: false, // with swr an invalidated entry is served stale once while it refreshes
      getKey: (mode) => mode,
      shouldBypassCache: (mode) => mode === "bypass",
      shouldInvalidateCache: (mode) => mode === "refresh",
      validate: (entry) => (entry.value as { mode?: string } | undefined)?.mode !== "invalid",
      transform: (entry) => ({ ...(entry.value as object), transformed: true }),
    });
    app.get("/v/:mode", defineHandler((event) => value(event.context.params!.mode!)));
    expect(await app.$fetch("/v/a")).toEqual({ runs: 1, mode: "a", transformed: true });
    expect(await app.$fetch("/v/a")).toEqual({ runs: 1, mode: "a", transformed: true });
    expect((await app.$fetch<{ runs: number }>("/v/bypass")).runs).toBe(2);
    expect((await app.$fetch<{ runs: number }>("/v/bypass")).runs).toBe(3);
    expect((await app.$fetch<{ runs: number }>("/v/refresh")).runs).toBe(4);
    expect((await app.$fetch<{ runs: number }>("/v/refresh")).runs).toBe(5);
    expect((await app.$fetch<{ runs: number }>("/v/invalid")).runs).toBe(6);
    expect((await app.$fetch<{ runs: number }>("/v/invalid")).runs).toBe(7);
    // Outside a request the only app's storage is used.
    await value.invalidate("a");
    expect((await app.$fetch<{ runs: number }>("/v/a")).runs).toBe(8);
  });
});
