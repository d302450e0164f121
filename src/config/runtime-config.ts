import type { H3Event } from "h3";
import type { NitroApp } from "../types/app.js";
import type { NitroRuntimeConfig } from "../types/app.js";
import { appOfEvent, useEvent, useNitroApp } from "../app/context.js";
import type { EnvSource } from "./runtime-config-env.js";
import { resolveRuntimeConfig } from "./runtime-config-resolve.js";

export type { NitroRuntimeConfig } from "../types/app.js";

/**
 * The runtime config of the app serving the current request, with the env overlay applied.
 *
 * Pass the `event` where the platform hands out environment per request (Cloudflare
 * Workers bindings, given as `event.context.cloudflare.env`): those values are
 * overlaid too, with the same rules as `NITRO_*` variables.
 *
 * @example
 * import { useRuntimeConfig } from "nitrokit/runtime-config";
 * app.get("/api/config", defineHandler((event) => {
 *   const config = useRuntimeConfig(event);
 *   return { apiBase: config.public?.apiBase };
 * }));
 */
export function useRuntimeConfig<T extends NitroRuntimeConfig = NitroRuntimeConfig>(event?: H3Event): T {
  // Without an event, the request scope's (entered on Workers, or with asyncContext) still brings its env.
  const current = event ?? useEvent();
  const app = (current && appOfEvent(current)) || useNitroApp();
  const env = current && requestEnv(current);
  return (env ? runtimeConfigForEnv(app, env) : app.runtimeConfig) as T;
}

/** Per-request environment an adapter attached to the event, if any. */
function requestEnv(event: H3Event): EnvSource | undefined {
  const cloudflare = event.context.cloudflare as { env?: EnvSource } | undefined;
  return cloudflare?.env;
}

/** Workers hand the same `env` object to every request of an isolate: overlay it once. */
const overlays = new WeakMap<NitroApp, WeakMap<object, NitroRuntimeConfig>>();

function runtimeConfigForEnv(app: NitroApp, env: EnvSource): NitroRuntimeConfig {
  let byEnv = overlays.get(app);
  if (!byEnv) overlays.set(app, (byEnv = new WeakMap()));
  let config = byEnv.get(env);
  if (!config) {
    config = resolveRuntimeConfig(app.runtimeConfig, app.config, env);
    byEnv.set(env, config);
  }
  return config;
}
