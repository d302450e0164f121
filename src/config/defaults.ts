/** Defaults the app applies to its config. */
import type { NitroConfig } from "../types/app.js";

/** Default request body limit: large enough for JSON APIs, small enough to refuse abuse. */
export const DEFAULT_MAX_REQUEST_BODY_SIZE = 1024 * 1024;

/**
 * `nitrokit dev` sets `NITROKIT_DEV=1` before it loads the user's module, so an app
 * created at import time (`export default createNitroApp()`) runs in development mode
 * too: stacks in error responses, `devStorage`/`devDatabase`. An explicit `dev` in
 * the config wins.
 */
export function withDevDefault(config: NitroConfig): NitroConfig {
  if (config.dev !== undefined || globalThis.process?.env?.NITROKIT_DEV !== "1") return config;
  return { ...config, dev: true };
}
