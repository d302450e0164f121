import { fileURLToPath } from "node:url";
import { join } from "node:path";

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * A built copy of the package for the CLI tests (package.json + dist), outside `dist/`
 * so a test run never races `npm run build`. It sits under the repo's node_modules, so
 * its dependencies resolve, and a temporary project links it as `node_modules/nitrokit`,
 * as an install would.
 */
export const CLI_PACKAGE_DIR = join(REPO_ROOT, "node_modules", ".cache", "nitrokit-cli-test", "package");

/** The `nitrokit` bin in that copy. */
export const CLI_BIN = join(CLI_PACKAGE_DIR, "dist", "cli.js");
