/**
 * Builds the package's JavaScript into dist/ with rolldown: one bundle per entry point
 * (scripts/entries.ts: package.json `exports`, the bin and the dev module hooks), code shared
 * between entries in chunks, every dependency left as an import. Declarations come from
 * `tsc -p tsconfig.build.json` (package.json `build` runs both).
 *
 * Why rolldown, and why the one code-splitting rule below: a bundler that splits code by entry
 * point (esbuild, which tsup runs) puts each module into the chunk of the exact set of entries
 * that reach it. With ~20 entries, and every lazily imported feature counting as one more, the
 * code a typical app runs at start-up (`nitrokit`, `nitrokit/h3`, `nitrokit/runtime-config` and
 * an adapter) came out as 28 small chunks, and Node 20's ES module loader resolves, reads and
 * compiles each file on its own: measured, ~0.86M instructions a file, and in wall time more
 * (each read goes through the thread pool). So every module the three core entries reach by static
 * imports goes into one `core` chunk, whichever other entries also use it. Two entries must not
 * load that chunk: `nitrokit/client` (a browser bundle must carry no server code) and the module
 * hooks `nitrokit dev` registers (they run in the loader's thread): what they reach goes apart,
 * and the few modules they share with the core go to a small chunk of their own. Adapters and
 * lazily loaded features keep rolldown's automatic chunks, so a Bun app never loads the Node
 * adapter's code and an app without tasks never loads the scheduler.
 *
 * Usage: `tsx scripts/build.ts [--out-dir dist] [--silent]`, or `build({ outDir })` from a test.
 */
import { rm } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { rolldown, type RolldownPluginOption } from "rolldown";
import { BUNDLE_ENTRIES } from "./entries.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The entries nearly every app imports at start-up: what they reach statically is the `core` chunk. */
const CORE_ENTRIES = ["index", "h3", "runtime-config"];
/** Entries that must not load the `core` chunk (see above). */
const APART_ENTRIES = ["client", "cli-dev-hooks"];

export interface BuildOptions {
  /** Where the files go (emptied first). Default: `dist` in the repository. */
  outDir?: string;
  silent?: boolean;
}

/** Builds dist/ (or `outDir`); resolves once every file is written. */
export async function build({ outDir = resolve(ROOT, "dist"), silent = false }: BuildOptions = {}): Promise<void> {
  const input = Object.fromEntries(Object.entries(BUNDLE_ENTRIES).map(([name, source]) => [name, resolve(ROOT, source)]));
  const chunks = new ChunkRule(input);
  const bundle = await rolldown({
    input,
    // Builtins, dependencies and optional peers are all imports: nothing under node_modules is bundled.
    external: (id) => !id.startsWith(".") && !isAbsolute(id),
    platform: "neutral",
    // Sources import siblings as `./x.js` (NodeNext): the file is `./x.ts`.
    resolve: { extensionAlias: { ".js": [".ts", ".js"] } },
    transform: { target: "node20" },
    treeshake: true,
    logLevel: silent ? "silent" : "warn",
    plugins: [chunks.plugin],
  });
  try {
    await rm(outDir, { recursive: true, force: true });
    await bundle.write({
      dir: outDir,
      format: "esm",
      entryFileNames: "[name].js",
      chunkFileNames: "[name]-[hash].js",
      // V8 keeps each module's source in memory, at two bytes a character for the whole file if one
      // character is past U+00FF (test/package/lazy-imports.test.ts): strings get escapes, doc comments
      // (an ellipsis, an arrow) go. `@__PURE__` annotations stay, for bundlers downstream (`nitrokit build`).
      charset: "ascii",
      comments: { legal: false, annotation: true, jsdoc: false },
      codeSplitting: { groups: chunks.groups },
    });
  } finally {
    await bundle.close();
  }
  if (!silent) console.log(`built ${Object.keys(input).length} entries into ${outDir}`);
}

/**
 * The code-splitting groups: `core` (what the core entries reach, less what the apart entries reach),
 * one group per apart entry (what only it reaches), and `core-shared` (what both reach). A group takes
 * its modules' dependencies with it, and the group of higher priority takes a module first, so the
 * shared modules are captured before `core` could take them along.
 *
 * The module sets are read from the module graph once it is complete (the plugin's `buildEnd`); the
 * groups' tests run after that, when the chunks are made.
 */
class ChunkRule {
  #core = new Set<string>();
  #shared = new Set<string>();
  readonly #apart = new Map(APART_ENTRIES.map((name) => [name, new Set<string>()]));

  constructor(readonly input: Record<string, string>) {}

  get plugin(): RolldownPluginOption {
    const rule = this;
    return {
      name: "nitrokit:chunk-rule",
      buildEnd() {
        // Module ids are absolute paths; dependencies are followed through static imports only.
        const reached = (entries: readonly string[]): Set<string> => {
          const seen = new Set<string>();
          const stack = entries.map((name) => rule.input[name]!);
          while (stack.length > 0) {
            const id = stack.pop()!;
            if (seen.has(id)) continue;
            seen.add(id);
            for (const imported of this.getModuleInfo(id)?.importedIds ?? []) if (isAbsolute(imported)) stack.push(imported);
          }
          return seen;
        };
        rule.#core = reached(CORE_ENTRIES);
        for (const name of APART_ENTRIES) rule.#apart.set(name, reached([name]));
        rule.#shared = new Set([...rule.#core].filter((id) => [...rule.#apart.values()].some((modules) => modules.has(id))));
      },
    };
  }

  get groups(): Groups {
    return [
      { name: "core-shared", test: (id) => this.#shared.has(id), priority: 3 },
      { name: "core", test: (id) => this.#core.has(id) && !this.#shared.has(id), priority: 2 },
      ...APART_ENTRIES.map((name) => ({ name, test: (id: string) => this.#apart.get(name)!.has(id) && !this.#core.has(id), priority: 1 })),
    ];
  }
}

type Groups = NonNullable<Exclude<import("rolldown").OutputOptions["codeSplitting"], boolean | undefined>["groups"]>;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { "out-dir": { type: "string" }, silent: { type: "boolean", default: false } } });
  await build({ outDir: values["out-dir"] ? resolve(values["out-dir"]) : undefined, silent: values.silent });
}
