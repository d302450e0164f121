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
  const modules: Record<string, GlobLoader> = {};
  for (const folder of options.folders ?? NITRO_FOLDERS) {
    // Listed as keys (`./routes/…`) straight away: no second string per file.
    for (const key of listFiles(`${base}/${folder}`, `./${folder}`, [])) {
      if (!isModuleFile(key)) continue;
      // The file URL is built on first import: for 1,000 files, building them all costs more than the scan.
      modules[key] = () => load(pathToFileURL(join(base, key)).href);
    }
  }
  return modules;
}

/**
 * Adds the files below `dir` to `files` as `prefix/…` paths; nothing when `dir` does not
 * exist. Paths are joined by hand: `path.join` per entry doubled the scan of 1,000 files.
 */
function listFiles(dir: string, prefix: string, files: string[]): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return files;
    throw error;
  }
  for (const entry of entries) {
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") listFiles(`${dir}/${entry.name}`, `${prefix}/${entry.name}`, files);
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      files.push(`${prefix}/${entry.name}`);
    }
  }
  return files;
}
