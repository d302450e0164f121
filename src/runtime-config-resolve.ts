import type { ZodType } from "zod";
import type { NitroConfig, NitroRuntimeConfig } from "./config.js";
import { applyEnvOverlay, type EnvSource } from "./runtime-config-env.js";

/**
 * Declared runtime config → env overlay (`NITRO_*`, then `config.envPrefix`) →
 * `{{VAR}}` expansion if enabled → `runtimeConfigSchema` check.
 */
export function resolveRuntimeConfig(declared: NitroRuntimeConfig, config: NitroConfig, env: EnvSource): NitroRuntimeConfig {
  const prefixes = ["NITRO_"];
  if (config.envPrefix && config.envPrefix !== "NITRO_") prefixes.push(config.envPrefix);
  const resolved = applyEnvOverlay(declared, env, { prefixes, expand: config.experimental?.envExpansion === true });
  if (!("public" in resolved)) resolved.public = {};
  if (config.runtimeConfigSchema) checkSchema(config.runtimeConfigSchema, resolved);
  return resolved;
}

function checkSchema(schema: ZodType, value: NitroRuntimeConfig): void {
  const result = schema.safeParse(value);
  if (result.success) return;
  const lines = result.error.issues.map((issue) => `  - runtimeConfig.${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`);
  throw new TypeError(`[nitrokit] Runtime config does not match runtimeConfigSchema:\n${lines.join("\n")}`);
}
