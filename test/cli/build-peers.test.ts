import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CLI_PACKAGE_DIR, REPO_ROOT } from "./cli-package.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A project where nitrokit is installed as npm installs it for a user: a real copy of the
 * package with its dependencies beside it, and of its optional peers only `peers`. (The
 * other CLI tests link the package inside this repository, where every peer resolves.)
 */
function projectWithPeers(peers: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "nitrokit-peers-"));
  dirs.push(dir);
  const modules = join(dir, "node_modules");
  mkdirSync(join(modules, "nitrokit"), { recursive: true });
  cpSync(join(CLI_PACKAGE_DIR, "dist"), join(modules, "nitrokit", "dist"), { recursive: true });
  cpSync(join(CLI_PACKAGE_DIR, "package.json"), join(modules, "nitrokit", "package.json"));
  const { dependencies } = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  for (const name of [...Object.keys(dependencies), ...peers]) {
    mkdirSync(join(modules, name, ".."), { recursive: true });
    symlinkSync(realpathSync(join(REPO_ROOT, "node_modules", name)), join(modules, name), "dir");
  }
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  writeFileSync(join(dir, "app.mjs"), `import { createNitroApp } from "nitrokit";\nexport default createNitroApp();\n`);
  return dir;
}

function build(cwd: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
    delete env.NODE_PATH;
    execFile(process.execPath, [join(cwd, "node_modules", "nitrokit", "dist", "cli.js"), "build"], { cwd, env, timeout: 30_000 }, (error, _stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
    );
  });
}

describe("nitrokit build without its optional peers", () => {
  it("names both missing peers and the command that installs them", async () => {
    const result = await build(projectWithPeers([]));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("`nitrokit build` needs esbuild and @vercel/nft, which are not installed. Install: npm install -D esbuild @vercel/nft");
    expect(result.stderr).not.toContain("ERR_MODULE_NOT_FOUND");
  });

  it("names @vercel/nft alone when esbuild is there (no raw ERR_MODULE_NOT_FOUND)", async () => {
    const result = await build(projectWithPeers(["esbuild"]));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("`nitrokit build` needs esbuild and @vercel/nft; @vercel/nft is not installed. Install: npm install -D @vercel/nft");
    expect(result.stderr).not.toContain("ERR_MODULE_NOT_FOUND");
    expect(result.stderr).not.toContain("Cannot find package");
  });
});
