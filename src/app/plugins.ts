import type { NitroApp, NitroAppPlugin } from "../types/app.js";

/**
 * Typed identity for a plugin kept in its own module.
 *
 * @example
 * export default definePlugin((nitroApp) => {
 *   nitroApp.hooks.hook("request", (event) => console.log(event.req.method, event.url.pathname));
 * });
 */
export function definePlugin(plugin: NitroAppPlugin): NitroAppPlugin {
  return plugin;
}

/** Runs plugins in order, awaiting async ones; the first failure stops `ready()`, naming the plugin. */
export async function runPlugins(app: NitroApp, plugins: readonly NitroAppPlugin[]): Promise<void> {
  for (const [index, plugin] of plugins.entries()) {
    try {
      await plugin(app);
    } catch (error) {
      const name = plugin.name ? `'${plugin.name}'` : `#${index + 1}`;
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`[nitrokit] Plugin ${name} failed in ready(): ${reason}`, { cause: error });
    }
  }
}
