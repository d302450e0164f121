import type { Driver } from "unstorage";

/** The driver methods unstorage calls (all may return promises, which it awaits). */
type DriverMethod = "hasItem" | "getItem" | "getItemRaw" | "getItems" | "setItem" | "setItemRaw" | "setItems" | "removeItem" | "getMeta" | "getKeys" | "clear" | "dispose" | "watch";

/** What a lazy driver has to say before its module is loaded: exactly what the real driver has. */
export interface LazyDriverShape {
  /** The driver's methods (unstorage falls back when one is missing, so the list must be exact). */
  methods: readonly DriverMethod[];
  /** The driver's `flags` (`maxDepth`: it filters keys by depth itself). */
  flags?: Driver["flags"];
  /** Whether it has `getInstance()` (synchronous: `undefined` until the driver is loaded). */
  getInstance?: boolean;
  /**
   * Packages the driver module imports that unstorage does not depend on (the client library
   * users install): `ready()` checks they resolve, without importing them.
   */
  clients?: readonly string[];
}

/**
 * The shapes of the unstorage drivers a mount loads on its first use, by driver module
 * (`unstorage/drivers/<key>`, so aliases such as `lruCache` share their module's entry).
 * unstorage decides what to call by which methods a driver has (`getItemRaw`, `getItems`,
 * `getMeta`, `clear`, `watch`...) and whether it has `flags.maxDepth`, so each entry lists the
 * real driver's exactly: test/storage/lazy-driver.test.ts instantiates every one (the redis
 * driver without connecting) and keeps these equal. A driver that is not here loads in
 * `ready()`, as it always did: there is no shape to answer unstorage with before it loads.
 */
export const DRIVER_SHAPES: Readonly<Record<string, LazyDriverShape>> = {
  fs: {
    methods: ["hasItem", "getItem", "getItemRaw", "setItem", "setItemRaw", "removeItem", "getMeta", "getKeys", "clear", "dispose", "watch"],
    flags: { maxDepth: true },
  },
  "fs-lite": {
    methods: ["hasItem", "getItem", "getItemRaw", "setItem", "setItemRaw", "removeItem", "getMeta", "getKeys", "clear"],
    flags: { maxDepth: true },
  },
  memory: {
    methods: ["hasItem", "getItem", "getItemRaw", "setItem", "setItemRaw", "removeItem", "getKeys", "clear", "dispose"],
    getInstance: true,
  },
  "lru-cache": {
    methods: ["hasItem", "getItem", "getItemRaw", "setItem", "setItemRaw", "removeItem", "getKeys", "clear", "dispose"],
    getInstance: true,
  },
  redis: {
    methods: ["hasItem", "getItem", "getItems", "setItem", "removeItem", "getKeys", "clear", "dispose"],
    getInstance: true,
    clients: ["ioredis"],
  },
  http: {
    methods: ["hasItem", "getItem", "getItemRaw", "setItem", "setItemRaw", "removeItem", "getMeta", "getKeys", "clear"],
  },
};

/** The loaders of the lazy drivers made here, for {@link loadedDriver}. */
const loaders = new WeakMap<Driver, () => Promise<Driver>>();

/**
 * A driver that imports its module on first use: `load()` runs once, on the first call of
 * any method (a failure is retried on the next call; concurrent first calls share one load).
 * Mounts whose driver has a known shape use it, so an app pays for a driver module (and its
 * client: ioredis...) only once a request reads that mount. `dispose()` before any use has
 * nothing to close and loads nothing. Once loaded, the real driver's methods replace the
 * wrappers (unstorage looks them up on every call), so a busy mount such as the cache pays
 * nothing after its first use. `getInstance()` is `undefined` until then.
 */
export function lazyDriver(name: string, options: Record<string, unknown>, shape: LazyDriverShape, load: () => Promise<Driver>): Driver {
  let loaded: Driver | undefined;
  let loading: Promise<Driver> | undefined;
  const driver = (): Promise<Driver> =>
    loaded
      ? Promise.resolve(loaded)
      : (loading ??= load().then(
          (real) => {
            for (const method of shape.methods) (lazy as unknown as Record<string, unknown>)[method] = (real[method] as (...args: unknown[]) => unknown).bind(real);
            if (shape.getInstance) lazy.getInstance = real.getInstance;
            return (loaded = real);
          },
          (error: unknown) => {
            loading = undefined;
            throw error;
          },
        ));
  const lazy: Driver = { name, options, ...(shape.flags ? { flags: shape.flags } : {}) } as Driver;
  for (const method of shape.methods) {
    (lazy as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      if (method === "dispose" && !loaded && !loading) return;
      const real = await driver();
      return (real[method] as (...args: unknown[]) => unknown).apply(real, args);
    };
  }
  if (shape.getInstance) lazy.getInstance = () => undefined;
  loaders.set(lazy, driver);
  return lazy;
}

/**
 * The real driver behind a mount's driver: a lazy one's, loaded now if it was not yet
 * (for code that needs the client itself, such as the Redis rate-limit counter); any other
 * driver as it is.
 */
export function loadedDriver(driver: Driver): Promise<Driver> {
  return loaders.get(driver)?.() ?? Promise.resolve(driver);
}

/** Whether `driver` was made by {@link lazyDriver} (loaded since or not). */
export function isLazyDriver(driver: Driver): boolean {
  return loaders.has(driver);
}
