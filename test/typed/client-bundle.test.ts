import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * The built entry's JS and every chunk it imports, followed through relative imports.
 * CI builds before testing, so dist/ is there; elsewhere the package is built into a
 * temporary folder by the project's build (scripts/build.ts: all entries, so chunks are shared
 * exactly as in the published build).
 */
async function builtClient(): Promise<{ dir: string; cleanup?: () => void }> {
  if (existsSync(join(root, "dist/client.js"))) return { dir: join(root, "dist") };
  const outDir = mkdtempSync(join(tmpdir(), "nitrokit-client-build-"));
  const { build } = await import("../../scripts/build.js");
  await build({ outDir, silent: true });
  return { dir: outDir, cleanup: () => rmSync(outDir, { recursive: true, force: true }) };
}

function importsOf(dir: string, file: string, seen = new Set<string>()): { files: string[]; bare: Set<string> } {
  const bare = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const code = readFileSync(path, "utf8");
    for (const match of code.matchAll(/(?:import|export)\s*(?:[^'"]*?from\s*)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)) {
      const specifier = match[1] ?? match[2]!;
      if (specifier.startsWith(".")) visit(resolve(dirname(path), specifier));
      else bare.add(specifier);
    }
  };
  visit(join(dir, file));
  return { files: [...seen], bare };
}

describe("nitrokit/client bundle", () => {
  const cleanups: Array<() => void> = [];
  afterAll(() => cleanups.forEach((cleanup) => cleanup()));

  it("imports ofetch and nothing of the server (h3, srvx, the app)", async () => {
    const { dir, cleanup } = await builtClient();
    if (cleanup) cleanups.push(cleanup);
    const { files, bare } = importsOf(dir, "client.js");
    expect([...bare]).toEqual(["ofetch"]);
    const code = files.map((file) => readFileSync(file, "utf8")).join("\n");
    for (const serverCode of ["createNitroApp", "H3Event", "defineTypedHandler", "AsyncLocalStorage", "readValidatedBody"]) {
      expect(code, `client bundle contains ${serverCode}`).not.toContain(serverCode);
    }
    expect(code).toContain("createClient");
  }, 60_000);
});
