import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { defineCachedFunction as nitroOcacheFunction, invalidateCache, type StorageInterface } from "ocache";
import type { Storage } from "unstorage";
import type { NitroApp } from "../../src/index.js";
import { defineHandler } from "../../src/h3.js";
import { defineCachedFunction, defineCachedHandler } from "../../src/cache/index.js";
import { appsClosedAfterEach, request } from "../helpers.js";
import { NITRO_FUNCTIONS, NITRO_HANDLERS } from "./nitro-keys.js";

const createApp = appsClosedAfterEach();
async function makeApp(): Promise<NitroApp> {
  const app = createApp();
  await app.ready();
  return app;
}

/** ocache's storage as Nitro 3 builds it over `useStorage()` (no base: ocache's `/cache`). */
function nitroCacheStorage(storage: Storage): StorageInterface {
  return {
    get: (key) => storage.getItem(key) as Promise<never>,
    set: (key, value, options) => storage.setItem(key, value as never, options?.ttl ? { ttl: options.ttl } : undefined),
  };
}

describe("cache keys in Nitro 3's groups", () => {
  it("a cached function writes the key a Nitro deployment writes: cache:<nitro/functions>:<name>:<key>.json", async () => {
    const app = await makeApp();
    const getAccessToken = defineCachedFunction(() => "token-1", { maxAge: 10, name: "getAccessToken", getKey: () => "default" });
    app.get("/token", defineHandler(() => getAccessToken()));
    expect(await app.$fetch("/token")).toBe("token-1");
    expect(await app.storage.getKeys("cache:")).toEqual([`cache:${NITRO_FUNCTIONS}:getAccessToken:default.json`]);
  });

  it("a cached handler writes the key a Nitro deployment writes: cache:<nitro/handlers>:<name>:<path hash>.json", async () => {
    const app = await makeApp();
    app.get("/api/expensive", defineCachedHandler(() => ({ computed: true }), { maxAge: 60, name: "expensive" }));
    expect((await request(app, "/api/expensive")).status).toBe(200);
    // ocache's default handler key: the path's word characters (16 at most), then the hash of
    // [origin, path + query] in ocache's serialization ('<length>:<string>, comma-separated).
    const origin = "http://localhost";
    const path = "/api/expensive";
    const pathHash = createHash("sha256").update(`['${origin.length}:${origin},'${path.length}:${path}]`).digest("base64url");
    expect(await app.storage.getKeys("cache:")).toEqual([`cache:${NITRO_HANDLERS}:expensive:apiexpensive.${pathHash}.json`]);
  });

  it("Nitro's invalidation code (ocache's invalidateCache with group nitro/functions) removes nitrokit's entry", async () => {
    const app = await makeApp();
    let runs = 0;
    const options = { name: "ghStars", getKey: (repo: string) => repo };
    const stars = defineCachedFunction(async (repo: string) => `${repo}:${++runs}`, { ...options, maxAge: 3600 });
    app.get("/stars", defineHandler(() => stars("nitrojs/nitro")));
    expect(await app.$fetch("/stars")).toBe("nitrojs/nitro:1");
    expect(await app.$fetch("/stars")).toBe("nitrojs/nitro:1");
    await invalidateCache({ options: { ...options, group: "nitro/functions", storage: nitroCacheStorage(app.storage) }, args: ["nitrojs/nitro"] });
    // Nitro's storage bridge writes ocache's eviction (null) as is: the key holds no entry any more.
    expect(await app.storage.getItem(`cache:${NITRO_FUNCTIONS}:ghStars:nitrojs/nitro.json`)).toBeNull();
    expect(await app.$fetch("/stars")).toBe("nitrojs/nitro:2");
  });

  it("an entry a Nitro deployment wrote to a shared cache is a hit (same name, key and integrity)", async () => {
    const app = await makeApp();
    // What Nitro 3's defineCachedFunction passes to ocache, with the integrity pinned on both sides
    // (by default it hashes the function's source, which differs between two code bases).
    const nitroSide = nitroOcacheFunction(async () => "written by Nitro", {
      storage: nitroCacheStorage(app.storage),
      group: "nitro/functions",
      name: "config",
      getKey: () => "shared",
      maxAge: 600,
      integrity: "v1",
    });
    expect(await nitroSide()).toBe("written by Nitro");
    let runs = 0;
    const ours = defineCachedFunction(async () => (runs++, "computed by nitrokit"), { name: "config", getKey: () => "shared", maxAge: 600, integrity: "v1" });
    app.get("/config", defineHandler(() => ours()));
    expect(await app.$fetch("/config")).toBe("written by Nitro");
    expect(runs).toBe(0);
  });
});
