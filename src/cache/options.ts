import type { CacheEntry, CacheOptions } from "ocache";
import { useEvent, useNitroApp } from "../app/context.js";
import { appCacheStorage } from "./storage-bridge.js";

/** Nitro's cache options, shared by cached functions, cached handlers and the `cache` route rule. */
export interface NitroCacheOptions<T = unknown, ArgsT extends unknown[] = unknown[]> {
  /** Cache key name. Default: the function's name, else a hash of its source. */
  name?: string;
  /**
   * Key group. Default `nitro/functions` (functions) or `nitro/handlers` (handlers), as in Nitro 3:
   * keys are `<base>:<group>:<name>:<key>.json`, with a group outside `[A-Za-z0-9_]` escaped by
   * ocache to `<its word characters>.<hash>` (`nitrofunctions.…`), exactly as Nitro stores it.
   */
  group?: string;
  /** Builds the key from the arguments (the event, for handlers). */
  getKey?: (...args: ArgsT) => string | Promise<string>;
  /** Seconds an entry is fresh. Default 1. */
  maxAge?: number;
  /**
   * Serve a stale entry at once and refresh it in the background (once, however many
   * callers). Default `true`, as in Nitro.
   */
  swr?: boolean;
  /**
   * Seconds a stale entry may still be served with `swr`. Enforced (Nitro ignores it).
   * Default: as long again as `maxAge`. Entries are stored with a TTL of
   * `maxAge + staleMaxAge`, so no backend fills up with dead entries.
   */
  staleMaxAge?: number;
  /** The storage mount entries live in. Default `cache`. */
  base?: string;
  /** Changes to this value invalidate every entry. Default: a hash of the function and options. */
  integrity?: unknown;
  /** Return `false` to treat an entry as a miss. */
  validate?: (entry: CacheEntry<T>) => boolean | Promise<boolean>;
  /** Transforms an entry before it is returned. */
  transform?: (entry: CacheEntry<T>, ...args: ArgsT) => unknown;
  /** Return `true` to revalidate now. */
  shouldInvalidateCache?: (...args: ArgsT) => boolean | Promise<boolean>;
  /** Return `true` to call through without the cache. */
  shouldBypassCache?: (...args: ArgsT) => boolean | Promise<boolean>;
  /** Seconds one resolution may take before waiters fail. Default 30. */
  maxResolveTime?: number;
}

/** Nitro's option names and defaults, in ocache's terms. */
export function toOcacheOptions<T, ArgsT extends unknown[]>(
  options: NitroCacheOptions<T, ArgsT>,
  defaults: { group: string; name?: string },
): CacheOptions<T, ArgsT> {
  const maxAge = options.maxAge ?? 1;
  const swr = options.swr ?? true;
  return {
    name: options.name ?? defaults.name,
    group: options.group ?? defaults.group,
    getKey: options.getKey,
    maxAge,
    swr,
    staleMaxAge: swr ? (options.staleMaxAge ?? maxAge) : undefined,
    base: options.base ?? "cache",
    integrity: options.integrity,
    validate: options.validate,
    transform: options.transform,
    shouldInvalidateCache: options.shouldInvalidateCache,
    shouldBypassCache: options.shouldBypassCache,
    maxResolveTime: options.maxResolveTime,
    storage: appCacheStorage,
    // Background refreshes and writes ride on the platform's waitUntil where the request has one.
    waitUntil: (promise) => {
      const event = useEvent();
      if (event) event.waitUntil(promise);
    },
    onError: reportCacheError,
  } as CacheOptions<T, ArgsT>;
}

/** A cache that cannot read or write degrades to calling through; it is reported, never a 500. */
function reportCacheError(error: unknown): void {
  console.warn("[nitrokit] cache:", error instanceof Error ? error.message : error);
  try {
    void useNitroApp().captureError(error, { event: useEvent(), tags: ["cache"] });
  } catch {
    // No app in scope: the warning above is all there is to say.
  }
}
