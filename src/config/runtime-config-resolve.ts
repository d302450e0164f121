import type { ZodType } from "zod";
import type { NitroConfig, NitroRuntimeConfig } from "../types/app.js";
import { applyEnvOverlay, type EnvSource } from "./runtime-config-env.js";

/** What `envPrefix` must look like, wherever it is given. */
export const ENV_PREFIX_PATTERN = /^[A-Z][A-Z0-9_]*$/;

/**
 * Declared runtime config + Nitro's keys (`app.baseURL`, `nitro.*`) → env overlay
 * (`NITRO_*`, then the second prefix) → `{{VAR}}` expansion if enabled →
 * `runtimeConfigSchema` check. Running it again on its own result (per-request env) is
 * a no-op apart from the new env.
 */
export function resolveRuntimeConfig(declared: NitroRuntimeConfig, config: NitroConfig, env: EnvSource): NitroRuntimeConfig {
  const withNitroKeys = withNitroDefaults(declared, config);
  const nitro = withNitroKeys.nitro as NitroRuntimeNitroKeys;
  const prefixes = ["NITRO_"];
  const altPrefix = nitro.envPrefix ?? envString(env.NITRO_ENV_PREFIX);
  if (altPrefix && altPrefix !== "NITRO_") prefixes.push(altPrefix);
  const expand = nitro.envExpansion ?? envFlag(env.NITRO_ENV_EXPANSION);
  const resolved = applyEnvOverlay(withNitroKeys, env, { prefixes, expand });
  if (!("public" in resolved)) resolved.public = {};
  if (config.runtimeConfigSchema) checkSchema(config.runtimeConfigSchema, resolved);
  return resolved;
}

/** The keys Nitro reads under `runtimeConfig.nitro`. */
interface NitroRuntimeNitroKeys {
  envPrefix?: string;
  envExpansion?: boolean;
  [key: string]: unknown;
}

/**
 * What Nitro 3 puts in the runtime config next to the user's keys: `app.baseURL` (with
 * leading and trailing slash, `/` by default) and under `nitro` the env options and the
 * route rules. Declared values win, as Nitro merges its defaults under them.
 */
function withNitroDefaults(declared: NitroRuntimeConfig, config: NitroConfig): NitroRuntimeConfig {
  const app = objectAt(declared, "app");
  const nitro = objectAt(declared, "nitro") as NitroRuntimeNitroKeys;
  const envPrefix = resolveEnvPrefix(nitro.envPrefix, config.envPrefix);
  const nitroKeys: NitroRuntimeNitroKeys = { ...nitro };
  if (envPrefix !== undefined) nitroKeys.envPrefix = envPrefix;
  if (nitro.envExpansion !== undefined && typeof nitro.envExpansion !== "boolean") {
    throw new TypeError("[nitrokit] Invalid config:\n  - runtimeConfig.nitro.envExpansion: expected a boolean");
  }
  if (nitro.envExpansion === undefined && config.experimental?.envExpansion !== undefined) nitroKeys.envExpansion = config.experimental.envExpansion;
  if (config.routeRules !== undefined) nitroKeys.routeRules = config.routeRules;
  if (config.openAPI !== undefined && nitro.openAPI === undefined) nitroKeys.openAPI = config.openAPI;
  return { ...declared, app: { baseURL: appBaseURL(config.baseURL), ...app }, nitro: nitroKeys };
}

/**
 * `runtimeConfig.nitro.envPrefix` is Nitro's place for the second prefix; nitrokit's
 * top-level `envPrefix` says the same. Both may be given only if they agree.
 */
function resolveEnvPrefix(fromRuntimeConfig: unknown, fromConfig: string | undefined): string | undefined {
  if (fromRuntimeConfig === undefined) return fromConfig;
  if (typeof fromRuntimeConfig !== "string" || !ENV_PREFIX_PATTERN.test(fromRuntimeConfig)) {
    throw new TypeError("[nitrokit] Invalid config:\n  - runtimeConfig.nitro.envPrefix: expected an upper-case prefix such as 'APP_'");
  }
  if (fromConfig !== undefined && fromConfig !== fromRuntimeConfig) {
    throw new TypeError(
      `[nitrokit] Invalid config: envPrefix ('${fromConfig}') and runtimeConfig.nitro.envPrefix ('${fromRuntimeConfig}') disagree; keep one (runtimeConfig.nitro.envPrefix is Nitro's place).`,
    );
  }
  return fromRuntimeConfig;
}

/** `/` → `/`, `/app` → `/app/`: Nitro's form of the base URL in runtime config. */
function appBaseURL(baseURL: string | undefined): string {
  const trimmed = (baseURL ?? "/").replace(/\/+$/, "");
  if (trimmed === "") return "/";
  return `${trimmed.startsWith("/") ? trimmed : `/${trimmed}`}/`;
}

function objectAt(source: NitroRuntimeConfig, key: string): Record<string, unknown> {
  const value = source[key];
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`[nitrokit] Invalid config:\n  - runtimeConfig.${key}: expected an object (Nitro keeps its own keys there)`);
  }
  return value as Record<string, unknown>;
}

function envString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function envFlag(value: unknown): boolean {
  return typeof value === "string" ? ["true", "1", "yes", "on"].includes(value.trim().toLowerCase()) : value === true;
}

function checkSchema(schema: ZodType, value: NitroRuntimeConfig): void {
  const result = schema.safeParse(value);
  if (result.success) return;
  const lines = result.error.issues.map((issue) => `  - runtimeConfig.${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`);
  throw new TypeError(`[nitrokit] Runtime config does not match runtimeConfigSchema:\n${lines.join("\n")}`);
}
