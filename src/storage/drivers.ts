import { builtinDrivers, type Driver } from "unstorage";
import { isPackageMissing } from "../platform/optional-import.js";
import { DRIVER_SHAPES, type LazyDriverShape } from "./lazy-driver.js";
import { REDIS_SERVER_DEFAULTS } from "./redis-defaults.js";

/** A storage mount: an unstorage driver name plus its options. */
export interface NitroStorageMount {
  driver: string;
  [option: string]: unknown;
}

type DriverFactory = (options: Record<string, unknown>) => Driver;

/**
 * Drivers an adapter imported statically, used instead of importing them by name:
 * a bundle for a runtime without a module loader at run time (Workers) only holds
 * the modules something imported with a literal specifier.
 */
const bundledDrivers = new Map<string, DriverFactory>();

/** Makes `name` resolve to `factory` without a dynamic import (see `nitrokit/workers`). */
export function registerBundledDriver(name: string, factory: DriverFactory): void {
  bundledDrivers.set(name, factory);
}

/** Throws, naming the mount, when a mount asks for a driver unstorage does not have. */
export function assertKnownDriver(mount: string, config: NitroStorageMount): void {
  if (!Object.hasOwn(builtinDrivers, config.driver)) {
    throw new TypeError(
      `[nitrokit] Storage mount '${mount}': unknown driver '${config.driver}'. ` +
        "Use one of unstorage's drivers (fs, memory, redis, lru-cache, http, cloudflare-kv-binding, s3, …), " +
        "or mount a driver instance at run time with app.storage.mount().",
    );
  }
}

/**
 * The shape of a mount's driver when the mount can load it on first use (see `DRIVER_SHAPES`),
 * with the driver's own name (`lruCache` is the `lru-cache` driver), or `undefined` for a
 * driver that must load in `ready()`.
 */
export function lazyShapeOf(config: NitroStorageMount): { name: string; shape: LazyDriverShape } | undefined {
  const specifier: string = builtinDrivers[config.driver as keyof typeof builtinDrivers];
  const module = specifier.slice(specifier.lastIndexOf("/") + 1);
  return Object.hasOwn(DRIVER_SHAPES, module) ? { name: module, shape: DRIVER_SHAPES[module]! } : undefined;
}

/**
 * Throws, naming the mount and what to install, when the client package of a mount that
 * loads on first use is missing: found out in `ready()` without importing the package
 * (where the runtime can resolve it synchronously; elsewhere the first use reports it).
 */
export function assertDriverClients(mount: string, config: NitroStorageMount, shape: LazyDriverShape): void {
  if (bundledDrivers.has(config.driver)) return;
  const missing = shape.clients?.find((client) => isPackageMissing(client));
  if (missing) throw new Error(`[nitrokit] Storage mount '${mount}': cannot load driver '${config.driver}'. It needs the package '${missing}': npm install ${missing}`);
}

/**
 * Imports a driver by name and creates it. Drivers load only when a mount uses
 * them, so an app that never mounts Redis needs no Redis client installed; when
 * the client is missing the error says what to install.
 */
export async function loadDriver(mount: string, config: NitroStorageMount): Promise<Driver> {
  assertKnownDriver(mount, config);
  const { driver: name, ...options } = config;
  const specifier = builtinDrivers[name as keyof typeof builtinDrivers];
  let factory: DriverFactory;
  try {
    factory = bundledDrivers.get(name) ?? ((await import(specifier)) as { default: DriverFactory }).default;
  } catch (error) {
    throw new Error(`[nitrokit] Storage mount '${mount}': cannot load driver '${name}'. ${installHint(error)}`, { cause: error });
  }
  return factory(name === "redis" && !options.cluster ? { ...REDIS_SERVER_DEFAULTS, ...options } : options);
}

/** "Cannot find package 'ioredis'" → "Install it: npm install ioredis". */
export function installHint(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const missing = /Cannot find (?:package|module) '((?:@[^/']+\/)?[^/']+)/.exec(message)?.[1];
  return missing ? `It needs the package '${missing}': npm install ${missing}` : message;
}
