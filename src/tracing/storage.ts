/**
 * Storage spans: each operation on the app's unstorage instance (and so on every
 * `useStorage()` view of it, and on the cache's entries) runs in a `storage <operation>`
 * span naming the mount it reached. Keys and values stay out of spans: keys carry user
 * data as often as not (session ids, emails).
 */
import type { Storage } from "unstorage";
import type { Instrumentation } from "../app/instrumentation.js";

/** The operations with a key (the mount is the key's). */
const KEYED = ["hasItem", "getItem", "getItemRaw", "setItem", "setItemRaw", "removeItem", "getMeta", "setMeta", "removeMeta"] as const;
/** The operations on a base (a mount or a prefix). */
const BASED = ["getKeys", "clear"] as const;

type Operation = (typeof KEYED)[number] | (typeof BASED)[number];
type StorageMethod = (...args: unknown[]) => unknown;

const kTraced = Symbol.for("nitrokit.storage.traced");

/** Wraps the storage's operations in place: everything holding the instance sees traced operations. */
export function traceStorage(storage: Storage, spans: Instrumentation): void {
  const target = storage as unknown as Record<Operation | typeof kTraced, unknown>;
  if (target[kTraced]) return;
  target[kTraced] = true;
  const wrap = (operation: Operation) => {
    const original = (target[operation] as StorageMethod).bind(storage);
    target[operation] = (...args: unknown[]) => {
      const key = typeof args[0] === "string" ? args[0] : "";
      const mount = storage.getMount(key).base.replace(/:$/, "") || "/";
      return spans.span(`storage ${operation}`, { "nitrokit.storage.operation": operation, "nitrokit.storage.mount": mount }, () => original(...args));
    };
  };
  for (const operation of KEYED) wrap(operation);
  for (const operation of BASED) wrap(operation);
}
