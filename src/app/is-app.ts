import type { NitroApp } from "../types/app.js";

/** Whether `value` is an app made by `createNitroApp()`: what the adapters and the CLI can serve. */
export function isNitroApp(value: unknown): value is NitroApp {
  const candidate = value as Partial<NitroApp> | null;
  return typeof candidate === "object" && candidate !== null && typeof candidate["~serve"] === "function" && candidate["~registry"] !== undefined;
}

/** Throws a `TypeError` naming `where` unless `value` is an app made by `createNitroApp()`. */
export function assertNitroApp(value: unknown, where: string): asserts value is NitroApp {
  if (!isNitroApp(value)) throw new TypeError(`[nitrokit] ${where}: expected an app created by createNitroApp().`);
}
