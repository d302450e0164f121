import { createStorage, type Driver, type Storage } from "unstorage";
import { isLazyDriver, loadedDriver } from "../storage/lazy-driver.js";

/** One request counted: how many the window has seen (this one included) and when it closes. */
export interface RateLimitHit {
  count: number;
  /** Milliseconds until the window closes and the count starts again. */
  resetInMs: number;
}

/** Where a limiter keeps its counters: one atomic "count this request" per call. */
export interface RateLimitCounter {
  /** Counts one request against `key` in a window of `windowMs` opened by the key's first request. */
  hit(key: string, windowMs: number): Promise<RateLimitHit>;
  /** The mount, for messages. */
  readonly mount: string;
  /** Whether the last failure has been reported and no success has followed yet (one report per outage). */
  outage: boolean;
  /** False for drivers in this process's memory, which cannot hang: no timeout is armed for them. */
  readonly remote: boolean;
}

/** unstorage drivers that keep values in this process. */
const IN_PROCESS_DRIVERS = new Set(["memory", "lru-cache"]);

/** The part of an ioredis client the counter uses. */
interface RedisEvalClient {
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

/**
 * One round trip, atomic on the Redis server: count, and open the window (set its expiry) on the
 * first request. A key left without an expiry (never, unless someone wrote it by hand) gets one.
 */
const REDIS_HIT = `local count = redis.call("INCR", KEYS[1])
local ttl = redis.call("PTTL", KEYS[1])
if ttl < 0 then
  redis.call("PEXPIRE", KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }`;

const KEY_PREFIX = "nitrokit:ratelimit:";
const countersByStorage = new WeakMap<Storage, Map<string, RateLimitCounter>>();

/**
 * The counter on storage mount `mount` of `storage`, one per mount (shared by every limiter on
 * it, so an outage is reported once). On a `redis` mount it runs a Lua script through the
 * driver's client: the count is exact across every instance sharing that Redis. On an in-memory
 * driver (the default `cache` mount) it updates the driver's map directly, atomic by running in
 * one turn of the event loop. On any other driver it reads and writes through unstorage, one
 * update per key at a time within this process: exact per process.
 */
export function counterFor(storage: Storage, mount: string, where: string): RateLimitCounter {
  let counters = countersByStorage.get(storage);
  if (!counters) countersByStorage.set(storage, (counters = new Map()));
  let counter = counters.get(mount);
  if (!counter) counters.set(mount, (counter = createCounter(storage, mount, where)));
  return counter;
}

function createCounter(storage: Storage, mount: string, where: string): RateLimitCounter {
  const found = storage.getMount(`${mount}:`);
  if (found.base !== `${mount}:`) {
    throw new Error(`[nitrokit] ${where}.storage: no storage mount named '${mount}'. Add it under \`storage\` in the app's config.`);
  }
  const driver: Driver = found.driver;
  return isLazyDriver(driver) ? new DeferredCounter(storage, mount, driver) : counterOn(storage, mount, driver);
}

/** The counter for `driver` (a loaded one): Redis' script, the in-process map, or unstorage. */
function counterOn(storage: Storage, mount: string, driver: Driver): RateLimitCounter {
  if (driver.name === "redis" && typeof driver.getInstance === "function") {
    const client = driver.getInstance() as RedisEvalClient;
    const base = String((driver.options as { base?: string } | undefined)?.base ?? "").replace(/:+$/, "");
    return new RedisCounter(client, mount, base ? `${base}:${KEY_PREFIX}` : KEY_PREFIX);
  }
  if (IN_PROCESS_DRIVERS.has(driver.name ?? "")) return new InProcessCounter(driver, mount);
  return new StorageCounter(storage, mount);
}

/**
 * The counter of a mount whose driver loads on its first use (see `lazyDriver`): the first hit
 * loads it, since the Redis counter needs the driver's client and the in-process one its
 * synchronous methods, then hands every hit to the counter for the loaded driver. A failed load
 * fails that hit (reported as an outage) and is tried again by the next.
 */
class DeferredCounter implements RateLimitCounter {
  outage = false;
  readonly remote: boolean;
  readonly mount: string;
  readonly #storage: Storage;
  readonly #driver: Driver;
  #counter: RateLimitCounter | undefined;

  constructor(storage: Storage, mount: string, driver: Driver) {
    this.#storage = storage;
    this.mount = mount;
    this.#driver = driver;
    this.remote = !IN_PROCESS_DRIVERS.has(driver.name ?? "");
  }

  hit(key: string, windowMs: number): Promise<RateLimitHit> {
    if (this.#counter) return this.#counter.hit(key, windowMs);
    // The lazy driver shares one load between concurrent first hits and retries a failed one.
    return loadedDriver(this.#driver).then((driver) => (this.#counter ??= counterOn(this.#storage, this.mount, driver)).hit(key, windowMs));
  }
}

class RedisCounter implements RateLimitCounter {
  outage = false;
  readonly remote = true;
  readonly #client: RedisEvalClient;
  readonly #prefix: string;
  readonly mount: string;

  constructor(client: RedisEvalClient, mount: string, prefix: string) {
    this.#client = client;
    this.mount = mount;
    this.#prefix = prefix;
  }

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const [count, ttl] = (await this.#client.eval(REDIS_HIT, 1, this.#prefix + key, windowMs)) as [number, number];
    return { count: Number(count), resetInMs: Number(ttl) };
  }
}

interface StoredWindow {
  count: number;
  /** Epoch milliseconds at which the window closes. */
  resetAt: number;
}

class StorageCounter implements RateLimitCounter {
  outage = false;
  readonly mount: string;
  readonly #storage: Storage;
  /** The last pending update per key: the next one waits for it, so no two read the same count. */
  readonly #pending = new Map<string, Promise<unknown>>();

  readonly remote = true;

  constructor(storage: Storage, mount: string) {
    this.#storage = storage;
    this.mount = mount;
  }

  hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const storageKey = this.mount ? `${this.mount}:${KEY_PREFIX}${key}` : KEY_PREFIX + key;
    const previous = this.#pending.get(storageKey);
    const update = previous ? previous.then(() => this.#increment(storageKey, windowMs)) : this.#increment(storageKey, windowMs);
    const settled = update.then(noop, noop);
    this.#pending.set(storageKey, settled);
    void settled.then(() => {
      if (this.#pending.get(storageKey) === settled) this.#pending.delete(storageKey);
    });
    return update;
  }

  async #increment(key: string, windowMs: number): Promise<RateLimitHit> {
    const now = Date.now();
    const stored = await this.#storage.getItem<StoredWindow>(key);
    const open = isStoredWindow(stored) && stored.resetAt > now;
    const window: StoredWindow = open ? { count: stored.count + 1, resetAt: stored.resetAt } : { count: 1, resetAt: now + windowMs };
    // `ttl` lets drivers that expire entries (redis, some KV stores) drop closed windows; the others are overwritten.
    await this.#storage.setItem(key, window, { ttl: Math.max(1, Math.ceil((window.resetAt - now) / 1000)) });
    return { count: window.count, resetInMs: window.resetAt - now };
  }
}

/**
 * A counter on a mount whose driver keeps values in this process (`memory`, `lru-cache`, the
 * default `cache` mount): its `getItem`/`setItem` answer synchronously, so reading and writing in
 * one turn of the event loop is atomic without any queueing, and costs a map lookup. The windows
 * are stored in the mount (under `nitrokit:ratelimit:`) like the others'. A driver answering
 * asynchronously after all is handled as a {@link StorageCounter} would be, one update per key.
 */
class InProcessCounter implements RateLimitCounter {
  outage = false;
  readonly remote = false;
  readonly mount: string;
  readonly #driver: Driver;
  #fallback: StorageCounter | undefined;

  constructor(driver: Driver, mount: string) {
    this.#driver = driver;
    this.mount = mount;
  }

  hit(key: string, windowMs: number): Promise<RateLimitHit> {
    if (this.#fallback) return this.#fallback.hit(key, windowMs);
    const storageKey = KEY_PREFIX + key;
    const stored: unknown = this.#driver.getItem(storageKey, {});
    if (isPromiseLike(stored)) {
      // Not synchronous after all: from now on through unstorage, serialized per key.
      const storage = createStorage({ driver: this.#driver });
      this.#fallback = new StorageCounter(storage, "");
      return this.#fallback.hit(key, windowMs);
    }
    const now = Date.now();
    const previous = parseWindow(stored);
    const window: StoredWindow = previous && previous.resetAt > now ? { count: previous.count + 1, resetAt: previous.resetAt } : { count: 1, resetAt: now + windowMs };
    // A string, as unstorage hands drivers (lru-cache sizes its entries by their byte length).
    void this.#driver.setItem?.(storageKey, `${window.count}/${window.resetAt}`, {});
    return Promise.resolve({ count: window.count, resetInMs: window.resetAt - now });
  }
}

/** `count/resetAt`, as {@link InProcessCounter} stores a window. */
function parseWindow(value: unknown): StoredWindow | undefined {
  if (typeof value !== "string") return undefined;
  const slash = value.indexOf("/");
  const count = Number(value.slice(0, slash));
  const resetAt = Number(value.slice(slash + 1));
  return slash > 0 && Number.isFinite(count) && Number.isFinite(resetAt) ? { count, resetAt } : undefined;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === "function";
}

function isStoredWindow(value: unknown): value is StoredWindow {
  return typeof value === "object" && value !== null && typeof (value as StoredWindow).count === "number" && typeof (value as StoredWindow).resetAt === "number";
}

function noop(): void {}
