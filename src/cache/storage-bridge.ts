import type { StorageInterface } from "ocache";
import { useNitroApp } from "../context.js";

/**
 * ocache's storage, backed by the unstorage of the app serving the current call.
 * Resolved per operation rather than once, because a cached function is defined
 * at module level and may serve several apps in one process (tests do).
 * Keys are ocache's `<base>:<group>:<name>:<key>.json` (Nitro's), so `base` picks the
 * unstorage mount (`cache` by default, `redis` to share across instances).
 */
export const appCacheStorage: StorageInterface = {
  get: (key) => useNitroApp().storage.getItem(key) as Promise<never>,
  set: async (key, value, options) => {
    const storage = useNitroApp().storage;
    if (value === null || value === undefined) await storage.removeItem(key);
    else await storage.setItem(key, value as never, options?.ttl ? { ttl: options.ttl } : undefined);
  },
};
