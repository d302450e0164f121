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
}

/**
 * unstorage's `fs` driver, as nitrokit's default `data` mount uses it: its methods and flags.
 * test/storage/lazy-driver.test.ts keeps this equal to the installed driver's.
 */
export const FS_DRIVER_SHAPE: LazyDriverShape = {
  methods: ["hasItem", "getItem", "getItemRaw", "setItem", "setItemRaw", "removeItem", "getMeta", "getKeys", "clear", "dispose", "watch"],
  flags: { maxDepth: true },
};

/**
 * unstorage's `lru-cache` driver, as nitrokit's default `cache` mount uses it.
 * test/storage/lazy-driver.test.ts keeps this equal to the installed driver's.
 */
export const LRU_CACHE_DRIVER_SHAPE: LazyDriverShape = {
  methods: ["hasItem", "getItem", "getItemRaw", "setItem", "setItemRaw", "removeItem", "getKeys", "clear", "dispose"],
  getInstance: true,
};

/**
 * A driver that imports its module on first use: `load()` runs once, on the first call of
 * any method (a failure is retried on the next call). Mounted for nitrokit's own default
 * mounts, which most apps never read: their driver modules stay out of start-up. `dispose()`
 * before any use has nothing to close and loads nothing. Once loaded, the real driver's
 * methods replace the wrappers (unstorage looks them up on every call), so a busy mount
 * such as the cache pays nothing after its first use.
 */
export function lazyDriver(name: string, options: Record<string, unknown>, shape: LazyDriverShape, load: () => Promise<Driver>): Driver {
  let loaded: Driver | undefined;
  let loading: Promise<Driver> | undefined;
  const driver = (): Driver | Promise<Driver> =>
    loaded ??
    (loading ??= load().then(
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
  return lazy;
}
