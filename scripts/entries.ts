/**
 * The package's entry points, read from the one place they are written: package.json
 * `exports` (and `bin`). scripts/build.ts builds them, vitest.config.ts and the runtime test
 * bundler alias `nitrokit/…` to their sources, and test/package/entries.test.ts checks that
 * tsconfig.json's `paths` (JSON, so it cannot import this) say the same.
 *
 * The rule that links a built file to its source: `./dist/<path>.js` is built from
 * `src/<path>.ts`. Bundles that are no public entry (the bin, and the module hooks
 * `nitrokit dev` loads by URL beside it) are listed in {@link INTERNAL_BUNDLES}.
 */
// A JSON import, not a file read: vite bundles its config (vitest.config.ts), and inlines JSON.
import pkg from "../package.json" with { type: "json" };

type ExportTarget = string | { import?: string; types?: string };

/** Bundles built beside the entries that package.json does not export by name. */
export const INTERNAL_BUNDLES: Readonly<Record<string, string>> = {
  // The `nitrokit` bin (package.json `bin`: ./dist/cli.js).
  cli: "src/cli/index.ts",
  // Registered by `nitrokit dev` with module.register(), by URL next to cli.js.
  "cli-dev-hooks": "src/cli/dev/module-hooks.ts",
};

/** `nitrokit/…` specifier → source file (relative to the repository root), one per public entry. */
export const ENTRY_SOURCES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(pkg.exports as Record<string, ExportTarget>).flatMap(([key, target]) => {
    const file = typeof target === "string" ? target : target.import;
    const built = file?.match(/^\.\/dist\/(.+)\.js$/);
    if (!built) return []; // ./package.json
    return [[`nitrokit${key.slice(1)}`, `src/${built[1]}.ts`]];
  }),
);

/** The build's entries (scripts/build.ts): output path under dist/ (without `.js`) → source file. */
export const BUNDLE_ENTRIES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.values(ENTRY_SOURCES).map((source) => [source.replace(/^src\//, "").replace(/\.ts$/, ""), source])),
  ...INTERNAL_BUNDLES,
};
