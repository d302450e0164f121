import { mkdirSync } from "node:fs";
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { ENTRY_SOURCES } from "../../scripts/entries.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));


function nitrokitSource(externalPackages: boolean): Plugin {
  return {
    name: "nitrokit-source",
    setup(builder) {
      builder.onResolve({ filter: /^nitrokit(\/.*)?$/ }, (args) => {
        // `nitrokit/…` → the source file, as vitest.config.ts maps it: the runtimes run the current code, not a stale build.
        const file = ENTRY_SOURCES[args.path];
        if (!file) return { errors: [{ text: `no nitrokit entry point '${args.path}'` }] };
        return { path: root + file };
      });
      // Dependencies stay imports, resolved by the runtime from the repo's node_modules.
      if (externalPackages) builder.onResolve({ filter: /^[^./]/ }, (args) => ({ path: args.path, external: true }));
    },
  };
}

/** `fs` → `node:fs`, as wrangler does under nodejs_compat (cron-parser imports `fs` unprefixed). */
const nodeBuiltins: Plugin = {
  name: "node-builtins",
  setup(builder) {
    const names = new Set(builtinModules);
    builder.onResolve({ filter: /^[a-z_/]+$/ }, (args) => (names.has(args.path) ? { path: `node:${args.path}`, external: true } : undefined));
  },
};

/** Where bundles go: inside the repo, so their bare imports resolve from its node_modules. */
export const bundleDir = root + "test/runtimes/.out/";

/**
 * Bundles an example entry for a server runtime (Node, Bun, Deno): our source
 * compiled in, dependencies left as imports.
 */
export async function bundleForServer(entry: string, name: string): Promise<string> {
  mkdirSync(bundleDir, { recursive: true });
  const outfile = `${bundleDir}${name}-${process.pid}.mjs`;
  await build({
    entryPoints: [root + entry],
    outfile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    logLevel: "silent",
    plugins: [nitrokitSource(true)],
  });
  return outfile;
}

/**
 * Bundles a Workers module as wrangler would: everything in one script, the runtime's
 * own modules (`cloudflare:*`, `node:*` under nodejs_compat) left as imports.
 */
export async function bundleForWorkerd(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [root + entry],
    write: false,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "browser", "import", "default"],
    mainFields: ["module", "main"],
    external: ["cloudflare:*", "node:*"],
    logLevel: "silent",
    plugins: [nitrokitSource(false), nodeBuiltins],
  });
  return result.outputFiles[0]!.text;
}
