/**
 * `nitrokit/routing/node`: the module map `import.meta.glob` would give, built
 * from a directory on disk, for Node with no bundler. Kept apart from
 * `nitrokit/routing` (which runs anywhere) because it reads the filesystem.
 * @module
 */
import { readdirSync, type Dirent } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isModuleFile } from "../routing/conventions.js";
import type { GlobLoader } from "../routing/modules.js";
import { importSource } from "./node/source-import.js";

/** Options of {@link globModules}. */
export interface GlobModulesOptions {
  /**
   * The folders below `dir` to scan.
   * @default ["routes", "api", "middleware", "plugins", "tasks"] (Nitro's)
   */
  folders?: readonly string[];
  /**
   * How a file is imported, given its `file:` URL: `import()` by default (under the
   * `nitrokit` command, TypeScript and JSX files load the way the command loaded the
   * entry). Pass another loader's import to load what Node cannot by itself (e.g. `jiti.import`).
   */
  import?: (url: string) => Promise<unknown>;
}

const NITRO_FOLDERS = ["routes", "api", "middleware", "plugins", "tasks"];

/**
 * Lists the modules below `dir`'s Nitro folders as lazy loaders keyed like
 * `import.meta.glob("./**")` keys them (`./routes/api/hello.ts`). Nothing is
 * imported here: each loader imports its file when called. Missing folders are
 * skipped; `node_modules` is never entered.
 *
 * @example
 * import { registerRoutes } from "nitrokit/routing";
 * import { globModules } from "nitrokit/routing/node";
 * registerRoutes(app, globModules(new URL("./server", import.meta.url)));
 */
export function globModules(dir: string | URL, options: GlobModulesOptions = {}): Record<string, GlobLoader> {
  const base = resolve(typeof dir === "string" ? dir : fileURLToPath(dir));
  const load = options.import ?? importSource;
  // The file URL is built on first import: for 1,000 files, building them all costs more than the scan.
  const loaderOf = (key: string): GlobLoader => () => load(pathToFileURL(join(base, key)).href);
  const modules: Record<string, GlobLoader> = {};
  for (const folder of options.folders ?? NITRO_FOLDERS) addModules(`${base}/${folder}`, `./${folder}`, modules, loaderOf);
  return modules;
}

/**
 * Adds the module files below `dir` to `modules` as `prefix/…` keys; nothing when `dir` does not
 * exist. One pass, at start-up, in the interpreter: each entry is checked by its name (shorter
 * than its key) and keyed at once, with no list of paths in between. Paths are joined by hand:
 * `path.join` per entry doubled the scan of 1,000 files.
 */
function addModules(dir: string, prefix: string, modules: Record<string, GlobLoader>, loaderOf: (key: string) => GlobLoader): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return;
    throw error;
  }
  for (const entry of entries) {
    const name = entry.name;
    if (entry.isDirectory()) {
      if (name !== "node_modules") addModules(`${dir}/${name}`, `${prefix}/${name}`, modules, loaderOf);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && isModuleFile(name)) {
      const key = `${prefix}/${name}`;
      modules[key] = loaderOf(key);
    }
  }
}
