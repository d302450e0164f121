import type { GlobModule, GlobModules } from "./modules.js";

/**
 * Imports every loader of a module map at once, so `registerRoutes` checks each
 * module up front (a missing default export fails start-up instead of a first
 * request). Useful in development and tests; production keeps the lazy map.
 *
 * @example
 * const modules = globModules(serverDir);
 * registerRoutes(app, app.config.dev ? await loadModules(modules) : modules);
 */
export async function loadModules(modules: GlobModules): Promise<Record<string, GlobModule>> {
  const entries = await Promise.all(
    Object.entries(modules).map(async ([file, entry]): Promise<[string, GlobModule]> => {
      if (typeof entry !== "function") return [file, entry];
      const loaded = await entry();
      // `{ import: "default" }` loaders resolve to the export itself.
      return [file, loaded && typeof loaded === "object" && !Array.isArray(loaded) ? (loaded as GlobModule) : { default: loaded }];
    }),
  );
  return Object.fromEntries(entries);
}
