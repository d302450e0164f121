import { createStorage, type Driver, type Storage } from "unstorage";
import type { NitroConfig, NitroStorageMount } from "../types/app.js";
import { assertDriverClients, assertKnownDriver, lazyShapeOf, loadDriver } from "./drivers.js";
import { lazyDriver, type LazyDriverShape } from "./lazy-driver.js";
import { awaitRedisReady } from "./redis-defaults.js";
import { assetMount, createAssetDriver, serverAssetDirs } from "./server-assets.js";

/**
 * How long a Redis mount's first use waits for its first connection before going on without it:
 * a storage that is down costs a request at most about a second (DESIGN.md §6), as a command
 * left unanswered later does (`commandTimeout` in redis-defaults.ts).
 */
const REDIS_READY_TIMEOUT = 1000;

/**
 * The app's storage: one unstorage instance (memory at its root) with the default and
 * configured mounts, all mounted in `ready()`, so they exist from the first plugin on. A mount
 * whose driver has a known shape (fs, fs-lite, memory, lru-cache, redis, http) imports its
 * driver module, and its client, on its first use: an app pays for Redis once a request reads
 * it, not on every cold start. Any other driver is imported in `ready()`.
 */
export class AppStorage {
  // unstorage's own memory driver at the root (the default of createStorage).
  readonly storage: Storage = createStorage();
  readonly #mounts: Record<string, NitroStorageMount>;
  readonly #config: NitroConfig;
  /** The mounts whose drivers load on first use, with their drivers' names and shapes. */
  readonly #lazyMounts = new Map<NitroStorageMount, { name: string; shape: LazyDriverShape }>();
  #mounted: Promise<void> | undefined;

  constructor(config: NitroConfig) {
    this.#config = config;
    this.#mounts = resolveMounts(config, { data: defaultDataMount(config), cache: defaultCacheMount() });
    for (const [name, mount] of Object.entries(this.#mounts)) {
      assertKnownDriver(name, mount);
      const lazy = lazyShapeOf(mount);
      if (lazy) this.#lazyMounts.set(mount, lazy);
    }
  }

  /** Mount points and driver names, for diagnostics. */
  get mounts(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.#mounts).map(([name, mount]) => [name, mount.driver]));
  }

  /**
   * Mounts every configured driver, all of them or none: a failure names the mount. A mount
   * that loads on first use has its client package (ioredis...) checked here without importing
   * it, so a missing one still fails `ready()` saying what to install.
   */
  mount(): Promise<void> {
    return (this.#mounted ??= (async () => {
      const entries = Object.entries(this.#mounts);
      for (const [name, mount] of entries) {
        const lazy = this.#lazyMounts.get(mount);
        if (lazy) assertDriverClients(name, mount, lazy.shape);
      }
      const drivers = await Promise.all(entries.map(([name, mount]) => this.#driverOf(name, mount)));
      entries.forEach(([name], i) => this.storage.mount(name, drivers[i]!));
      await this.#mountServerAssets();
    })());
  }

  /** The driver of a mount: one that loads on first use where its shape is known, else loaded now. */
  #driverOf(name: string, mount: NitroStorageMount): Promise<Driver> {
    const lazy = this.#lazyMounts.get(mount);
    if (!lazy) return loadMountDriver(name, mount);
    const { driver: _name, ...options } = mount;
    return Promise.resolve(lazyDriver(lazy.name, options, lazy.shape, () => loadMountDriver(name, mount)));
  }

  /** Read-only `assets:*` mounts, where there is a filesystem (explicit ones elsewhere fail, naming the reason). */
  async #mountServerAssets(): Promise<void> {
    if (!hasFileSystem() && !this.#config.serverAssets?.length) return;
    if (!hasFileSystem()) throw new Error("[nitrokit] serverAssets need a filesystem; on this runtime mount an asset driver in a plugin.");
    const dirs = serverAssetDirs(this.#config, rootDirOf(this.#config));
    const drivers = await Promise.all(dirs.map(({ dir, optional }) => createAssetDriver(dir, optional)));
    dirs.forEach(({ dir }, i) => drivers[i] && this.storage.mount(assetMount(dir.baseName), drivers[i]));
  }

  /** Unmounts and disposes every driver (closes Redis connections, file watchers, ...). */
  async dispose(): Promise<void> {
    await this.storage.dispose();
  }
}

/**
 * Default mounts, then `storage`, then (with `dev: true`) `devStorage`, later ones winning.
 *
 * - `data`: files under `<rootDir>/.data/kv` where there is a filesystem (Node, Bun, Deno),
 *   memory elsewhere; Nitro's persistent default.
 * - `cache`: an in-memory LRU bounded to 10,000 entries and 64 MiB, so a cache can
 *   never grow without bound; mount Redis or fs here to share or persist it.
 */
function resolveMounts(config: NitroConfig, defaults: { data: NitroStorageMount; cache: NitroStorageMount }): Record<string, NitroStorageMount> {
  const mounts: Record<string, NitroStorageMount> = {
    ...defaults,
    ...config.storage,
  };
  if (config.dev) Object.assign(mounts, config.devStorage);
  return mounts;
}

/** The default `cache` mount: an in-memory LRU bounded in entries and bytes. */
function defaultCacheMount(): NitroStorageMount {
  return { driver: "lru-cache", max: 10_000, maxSize: 64 * 1024 * 1024 };
}

/** The default `data` mount: files under `<rootDir>/.data/kv` where there is a filesystem, memory elsewhere. */
function defaultDataMount(config: NitroConfig): NitroStorageMount {
  return hasFileSystem() ? { driver: "fs", base: `${rootDirOf(config)}/.data/kv` } : { driver: "memory" };
}

/**
 * Imports and creates a mount's driver. A Redis mount then waits (at most
 * `REDIS_READY_TIMEOUT`) for its first connection: with the offline queue off, a command sent
 * while connecting would fail. Redis being down does not fail the load (the mount's commands
 * fail at once and ioredis reconnects in the background).
 */
async function loadMountDriver(name: string, mount: NitroStorageMount): Promise<Driver> {
  const driver = await loadDriver(name, mount);
  if (mount.driver === "redis") await awaitRedisReady(name, driver, REDIS_READY_TIMEOUT);
  return driver;
}

function rootDirOf(config: NitroConfig): string {
  return (config.rootDir ?? globalThis.process?.cwd?.() ?? ".").replace(/\/+$/, "");
}

function hasFileSystem(): boolean {
  const runtime = globalThis as { process?: { versions?: Record<string, string> }; Deno?: unknown; Bun?: unknown };
  return Boolean(runtime.process?.versions?.node || runtime.Deno || runtime.Bun) && !isWorkerd();
}

function isWorkerd(): boolean {
  return (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === "Cloudflare-Workers";
}
