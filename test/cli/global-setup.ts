import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "../../scripts/build.js";
import { CLI_PACKAGE_DIR, REPO_ROOT } from "./cli-package.js";

/**
 * Builds the package once per test run for the tests that spawn the real `nitrokit`
 * bin (test/cli), and only when a source file changed since the last build.
 */
export default async function buildCliPackage(): Promise<void> {
  const stampFile = join(CLI_PACKAGE_DIR, ".stamp");
  const stamp = sourceStamp();
  if (readIfExists(stampFile) === stamp) return;
  mkdirSync(CLI_PACKAGE_DIR, { recursive: true });
  await build({ outDir: join(CLI_PACKAGE_DIR, "dist"), silent: true });
  writeFileSync(join(CLI_PACKAGE_DIR, "package.json"), readFileSync(join(REPO_ROOT, "package.json")));
  writeFileSync(stampFile, stamp);
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** Size and mtime of every source file and of the build's inputs. */
function sourceStamp(): string {
  const hash = createHash("sha256");
  const visit = (path: string) => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const name of readdirSync(path).sort()) visit(join(path, name));
    else hash.update(`${path}:${stat.size}:${stat.mtimeMs}\n`);
  };
  for (const input of ["src", "package.json", "scripts/build.ts", "scripts/entries.ts"]) visit(join(REPO_ROOT, input));
  return hash.digest("hex");
}
