import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * A built copy of the package for the CLI tests (package.json + dist), outside `dist/`
 * so a test run never races `npm run build`. It sits under the repo's node_modules, so
 * its dependencies resolve, and a temporary project links it as `node_modules/nitrokit`,
 * as an install would. One copy per checkout: git worktrees that share one node_modules
 * (a symlink) must not overwrite each other's build.
 */
export const CLI_PACKAGE_DIR = join(REPO_ROOT, "node_modules", ".cache", "nitrokit-cli-test", createHash("sha256").update(REPO_ROOT).digest("hex").slice(0, 12), "package");

/** The `nitrokit` bin in that copy. */
export const CLI_BIN = join(CLI_PACKAGE_DIR, "dist", "cli.js");
