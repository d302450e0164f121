/**
 * `nitrokit/storage`: the app's key-value storage (unstorage), as `nitro/storage`.
 * @module
 */
import { prefixStorage, type Storage, type StorageValue } from "unstorage";
import { useNitroApp } from "../app/context.js";

export type { Storage, StorageValue } from "unstorage";

/**
 * The storage of the app serving the current request, or a view of one mount of it.
 *
 * `useStorage()` is the whole storage (keys like `data:users:1`); `useStorage("data")`
 * a view where keys are relative to the `data` mount.
 *
 * @example
 * import { useStorage } from "nitrokit/storage";
 * const storage = useStorage("data");
 * const counter = ((await storage.getItem<number>("counter")) ?? 0) + 1;
 * await storage.setItem("counter", counter);
 */
export function useStorage<T extends StorageValue = StorageValue>(base?: string): Storage<T> {
  const storage = useNitroApp().storage as unknown as Storage<T>;
  return base ? prefixStorage<T>(storage, base) : storage;
}
