import type { NitroConfig } from "../types/app.js";
import type { NitroRouteRule } from "./normalize.js";

/**
 * The config's route rules with the app-wide options that are rules underneath (`compress`)
 * added to `/**`, below anything the config's own `/**` rule says: narrower patterns override
 * them (`compress: false` on a path turns it off there) as they would a `/**` rule.
 */
export function withAppWideRules(config: Pick<NitroConfig, "routeRules" | "compress">): Record<string, NitroRouteRule> | undefined {
  if (config.compress === undefined || config.compress === false) return config.routeRules;
  const rules = { ...config.routeRules };
  rules["/**"] = { compress: config.compress, ...rules["/**"] };
  return rules;
}
