import type { NitroConfig } from "../types/app.js";

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
