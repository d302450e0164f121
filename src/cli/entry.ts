import { existsSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { CliError } from "./errors.js";

/**
 * Where the command looks for the app module when none is named, in this order,
 * in the working directory: an `app` module, then a `server` module, each at the root
 * and then under `src/`. `app` comes first because beside it, `server` is usually not
 * the app: a script that serves it (`serve(app)`), or Nitro's server entry (a fetch
 * handler that the app registers with `serverEntry`).
 */
export const DEFAULT_ENTRIES: readonly string[] = ["app", "server", "src/app", "src/server"].flatMap((base) =>
  [".ts", ".mts", ".js", ".mjs"].map((ext) => base + ext),
);

const EXTENSIONS = [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"];

/**
 * The absolute path of the app module: `entry` as given (a file, a file without its
 * extension, or a directory holding one of the default entries), or the first
 * default entry in `cwd`. A missing file is a {@link CliError} naming what was tried.
 */
export function resolveEntry(entry: string | undefined, cwd = process.cwd()): string {
  if (entry === undefined || entry === "") return findDefaultEntry(cwd, cwd);
  const path = resolve(cwd, entry);
  if (isFile(path)) return path;
  if (isDirectory(path)) return findDefaultEntry(path, cwd);
  const withExtension = EXTENSIONS.map((ext) => path + ext).find(isFile);
  if (withExtension) return withExtension;
  throw new CliError(`Entry file not found: ${entry} (no file at ${path}).`, {
    hint: "Pass the path of the module that exports your app, e.g. `nitrokit serve src/server.ts`.",
  });
}

function findDefaultEntry(dir: string, cwd: string): string {
  const found = DEFAULT_ENTRIES.map((name) => join(dir, name)).find(isFile);
  if (found) return found;
  const where = relative(cwd, dir) || ".";
  throw new CliError(`No entry file found in ${where}: looked for ${DEFAULT_ENTRIES.join(", ")}.`, {
    hint: "Pass the path of the module that exports your app, e.g. `nitrokit serve src/server.ts`.",
  });
}

/**
 * The project an entry belongs to: the directory of the nearest `package.json` above
 * it, else the entry's own directory. `dev` reloads and watches files inside it.
 */
export function projectRootOf(entryPath: string): string {
  for (let dir = dirname(entryPath); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) return dirname(entryPath);
  }
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
