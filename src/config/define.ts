import type { NitroConfig } from "../types/app.js";

/**
 * Typed identity for a config object kept in its own module.
 *
 * @example
 * // nitro.config.ts
 * import { defineNitroConfig } from "nitrokit/config";
 * export default defineNitroConfig({ runtimeConfig: { apiSecret: "dev" } });
 */
export function defineNitroConfig<T extends NitroConfig>(config: T): T {
  return config;
}

/**
 * Nitro 3's name for {@link defineNitroConfig} (`import { defineConfig } from "nitro"`).
 *
 * @example
 * import { defineConfig } from "nitrokit";
 * export default defineConfig({ routeRules: { "/api/**": { cors: true } } });
 */
export const defineConfig: typeof defineNitroConfig = defineNitroConfig;
