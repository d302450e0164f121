/**
 * No module under src/ imports itself through others, type-only imports included: a cycle
 * is where a leaf starts depending on the whole app (and, at run time, where a module can
 * be read before it has finished loading). dpdm follows TypeScript's module resolution.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dpdm = fileURLToPath(new URL("../../node_modules/dpdm/lib/bin/dpdm.js", import.meta.url));

/** The cycles dpdm reports among the modules `pattern` matches, each as its list of files. */
async function findCycles(pattern: string): Promise<string[][]> {
  const dir = await mkdtemp(join(tmpdir(), "nitrokit-cycles-"));
  const output = join(dir, "report.json");
  await promisify(execFile)(process.execPath, [dpdm, "--no-warning", "--no-tree", "--no-progress", "--output", output, pattern], { cwd: root });
  const report = JSON.parse(await readFile(output, "utf8")) as { circulars: string[][] };
  await rm(dir, { recursive: true, force: true });
  return report.circulars;
}

describe("import cycles", () => {
  it("the check sees a cycle made of type-only imports", async () => {
    const cycles = await findCycles("test/fixtures/type-cycle/*.ts");
    expect(cycles).toHaveLength(1);
    expect(cycles[0]!.map((file) => file.replace(/^.*\//, "")).sort()).toEqual(["a.ts", "b.ts"]);
  });

  it("src/ has none", async () => {
    expect(await findCycles("src/**/*.ts")).toEqual([]);
  });
});
