/**
 * The entry list is written once, in package.json `exports`; the build (scripts/build.ts), vitest and the runtime
 * test bundler derive theirs from it (scripts/entries.ts). tsconfig.json is JSON and cannot:
 * this test keeps its `paths` (what `tsc` checks examples and tests against) in step.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BUNDLE_ENTRIES, ENTRY_SOURCES } from "../../scripts/entries.ts";

const root = new URL("../../", import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { exports: Record<string, unknown>; bin: Record<string, string> };

/** tsconfig.json allows comments; they are all on lines of their own there. */
function readTsconfigPaths(): Record<string, string[]> {
  const text = readFileSync(new URL("tsconfig.json", root), "utf8").replace(/^\s*\/\/.*$/gm, "");
  return (JSON.parse(text) as { compilerOptions: { paths: Record<string, string[]> } }).compilerOptions.paths;
}

describe("the package's entry points", () => {
  it("map every export but package.json to a source file that exists", () => {
    expect(Object.keys(ENTRY_SOURCES)).toHaveLength(Object.keys(pkg.exports).length - 1);
    for (const [specifier, source] of Object.entries(ENTRY_SOURCES)) {
      expect(existsSync(new URL(source, root)), `${specifier} → ${source}`).toBe(true);
    }
  });

  it("build the bin and every export", () => {
    expect(BUNDLE_ENTRIES.cli).toBe("src/cli/index.ts");
    expect(pkg.bin.nitrokit).toBe("./dist/cli.js");
    expect(BUNDLE_ENTRIES["storage/index"]).toBe("src/storage/index.ts");
    expect(Object.values(BUNDLE_ENTRIES)).toEqual(expect.arrayContaining(Object.values(ENTRY_SOURCES)));
  });

  it("are tsconfig.json's paths, one for one", () => {
    const fromTsconfig = Object.fromEntries(Object.entries(readTsconfigPaths()).map(([specifier, [path]]) => [specifier, path!.replace(/^\.\//, "")]));
    expect(fromTsconfig).toEqual(ENTRY_SOURCES);
  });
});
