import type { StorageInterface } from "ocache";
import { useEvent, useNitroApp } from "../app/context.js";
import type { NitroApp } from "../types/app.js";

/**
 * How long one cache read or write may take before the cache gives up on it. A read
 * that times out is a miss (the function or handler answers), a write that times out
 * is dropped, so a storage that hangs costs a request at most this, never a timeout.
 */
export const CACHE_STORAGE_TIMEOUT_MS = 500;

/**
 * ocache's storage, backed by the unstorage of the app serving the current call.
 * Resolved per operation rather than once, because a cached function is defined
 * at module level and may serve several apps in one process (tests do).
 * Keys are ocache's `<base>:<group>:<name>:<key>.json` (Nitro's), so `base` picks the
 * unstorage mount (`cache` by default, `redis` to share across instances).
 *
 * A storage that fails or hangs never fails the call: a read becomes a miss, a write
 * is dropped, each within {@link CACHE_STORAGE_TIMEOUT_MS}. The outage is reported to
 * the app's `error` hook once when it starts (not per request), and once the mount
 * answers again the cache is used as before.
 */
export const appCacheStorage: StorageInterface = {
  get: (key) => {
    const app = useNitroApp();
    return guarded(app, key, () => app.storage.getItem(key), null) as Promise<never>;
  },
  set: async (key, value, options) => {
    const app = useNitroApp();
    const storage = app.storage;
    await guarded(app, key, () =>
      value === null || value === undefined ? storage.removeItem(key) : storage.setItem(key, value as never, options?.ttl ? { ttl: options.ttl } : undefined),
    undefined);
  },
};

/** Mounts currently failing, per app: an outage is reported when a mount enters this set. */
const failingMounts = new WeakMap<NitroApp, Set<string>>();

async function guarded<T>(app: NitroApp, key: string, operation: () => Promise<T>, fallback: T): Promise<T> {
  const mount = app.storage.getMount(key).base.replace(/:$/, "") || "(root)";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CACHE_STORAGE_TIMEOUT_MS} ms`)), CACHE_STORAGE_TIMEOUT_MS);
  });
  try {
    const result = await Promise.race([operation(), timedOut]);
    recovered(app, mount);
    return result;
  } catch (error) {
    failed(app, mount, error);
    return fallback;
  } finally {
    clearTimeout(timer);
  }
}

function failed(app: NitroApp, mount: string, error: unknown): void {
  let failing = failingMounts.get(app);
  if (!failing) failingMounts.set(app, (failing = new Set()));
  if (failing.has(mount)) return;
  failing.add(mount);
  const reason = error instanceof Error ? error.message : String(error);
  const outage = new Error(
    `[nitrokit] Cache storage '${mount}' is unavailable (${reason}): cached functions and handlers call through until it answers again.`,
    { cause: error },
  );
  console.warn(outage.message);
  void app.captureError(outage, { event: useEvent(), tags: ["cache", "storage"] });
}

function recovered(app: NitroApp, mount: string): void {
  const failing = failingMounts.get(app);
  if (!failing?.delete(mount)) return;
  console.warn(`[nitrokit] Cache storage '${mount}' answers again: caching resumes.`);
}
