import { createStorage, type Driver, type Storage } from "unstorage";
import type { NitroConfig, NitroStorageMount } from "../types/app.js";
import { assertKnownDriver, loadDriver } from "./drivers.js";
import { FS_DRIVER_SHAPE, LRU_CACHE_DRIVER_SHAPE, lazyDriver, type LazyDriverShape } from "./lazy-driver.js";
import { awaitRedisReady } from "./redis-defaults.js";
import { assetMount, createAssetDriver, serverAssetDirs } from "./server-assets.js";

/** How long `ready()` waits for a Redis mount's first connection before serving without it. */
const REDIS_READY_TIMEOUT = 2000;

/**
 * The app's storage: one unstorage instance (memory at its root) with the
 * default and configured mounts. Mount drivers are imported in `ready()`, so the
 * mounts exist from the first plugin on.
 */
export class AppStorage {
  // unstorage's own memory driver at the root (the default of createStorage).
  readonly storage: Storage = createStorage();
  readonly #mounts: Record<string, NitroStorageMount>;
  readonly #config: NitroConfig;
  /** nitrokit's default mounts the config keeps (their drivers load on first use), with their drivers' shapes. */
  readonly #lazyMounts = new Map<NitroStorageMount, LazyDriverShape>();
  #mounted: Promise<void> | undefined;

  constructor(config: NitroConfig) {
    this.#config = config;
    const defaults = { data: defaultDataMount(config), cache: defaultCacheMount() };
    this.#mounts = resolveMounts(config, defaults);
    // nitrokit's own mounts, where the config did not replace them.
    if (this.#mounts.data === defaults.data && defaults.data.driver === "fs") this.#lazyMounts.set(defaults.data, FS_DRIVER_SHAPE);
    if (this.#mounts.cache === defaults.cache) this.#lazyMounts.set(defaults.cache, LRU_CACHE_DRIVER_SHAPE);
    for (const [name, mount] of Object.entries(this.#mounts)) assertKnownDriver(name, mount);
  }

  /** Mount points and driver names, for diagnostics. */
  get mounts(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.#mounts).map(([name, mount]) => [name, mount.driver]));
  }

  /** Loads and mounts every configured driver, all of them or none: a failure names the mount. */
  mount(): Promise<void> {
    return (this.#mounted ??= (async () => {
      const entries = Object.entries(this.#mounts);
      const drivers = await Promise.all(entries.map(([name, mount]) => this.#driverOf(name, mount)));
      entries.forEach(([name], i) => this.storage.mount(name, drivers[i]!));
      await Promise.all(entries.map(([name, mount], i) => (mount.driver === "redis" ? awaitRedisReady(name, drivers[i]!, REDIS_READY_TIMEOUT) : undefined)));
      await this.#mountServerAssets();
    })());
  }

  /**
   * The driver of a mount. nitrokit's default `data` and `cache` mounts (which many apps
   * never touch) import their unstorage driver on first use; every configured mount is
   * loaded now, so a missing driver package fails `ready()`, naming the mount.
   */
  #driverOf(name: string, mount: NitroStorageMount): Promise<Driver> {
    const shape = this.#lazyMounts.get(mount);
    if (!shape) return loadDriver(name, mount);
    const { driver, ...options } = mount;
    return Promise.resolve(lazyDriver(driver, options, shape, () => loadDriver(name, mount)));
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
