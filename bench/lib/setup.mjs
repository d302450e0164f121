// What every bench script does before measuring: make sure dist/ (what the servers import) exists
// and is not older than src/, and find out whether children can be pinned to a core.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root folder. */
export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * Runs `npm run build` when `force` is set or `entry` (a dist/ file the bench needs) is missing;
 * otherwise warns when a file in src/ is newer than it.
 */
export function ensureBuild(force, entry = "dist/index.js") {
  const distEntry = join(root, entry);
  if (force || !existsSync(distEntry)) {
    console.log(force ? "Building nitrokit (--build)…" : `${entry} missing: running npm run build…`);
    execFileSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
    return;
  }
  const builtAt = statSync(distEntry).mtimeMs;
  const stale = listFiles(join(root, "src")).filter((file) => statSync(file).mtimeMs > builtAt);
  if (stale.length) console.warn(`warning: dist/ is older than ${relative(root, stale[0])} (and ${stale.length - 1} more in src/); pass --build to rebuild.`);
}

/** Every file below `dir`. */
export function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/** The command prefix that pins a child to `core` (`taskset -c <core>`), or none where taskset is missing. */
export function pinTo(core) {
  try {
    execFileSync("taskset", ["-c", String(core), "true"], { stdio: "ignore" });
    return ["taskset", "-c", String(core)];
  } catch {
    return [];
  }
}
