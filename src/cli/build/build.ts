import { cp, mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import type { NitroApp } from "../../types/app.js";
import { importOptionalPeers, MissingPackagesError } from "../../platform/optional-import.js";
import { CliError } from "../errors.js";
import { loadApp } from "../load-app.js";
import { presetEntry, usesNodeModules, type Preset } from "./presets.js";
import { runtimeModules } from "./runtime-modules.js";
import { traceNodeModules } from "./trace.js";

/** Options of {@link buildOutput}. */
export interface BuildOptions {
  entryPath: string;
  preset: Preset;
  /** The output folder (`.output`), absolute. */
  outDir: string;
  minify: boolean;
  /** Where the project lives (rootDir for assets, cwd for tracing). */
  rootDir: string;
  log: (line: string) => void;
  /**
   * A folder of static files (a front end's build, e.g. Vite's `dist`) copied into
   * `<outDir>/public` and served by the built server before the app's routes.
   */
  publicDir?: string;
  /** The URL path `publicDir`'s files are served under (a front end built with a `base`), default `/`. */
  publicBaseURL?: string;
}

/** What a build wrote. */
export interface BuildResult {
  entryFile: string;
  tracedFiles: number;
  assets: string[];
  prerendered: number;
}

interface EsbuildModule {
  build(options: Record<string, unknown>): Promise<{ warnings: unknown[] }>;
}

/**
 * `nitrokit build`: loads the app once (for its config), bundles it with a preset entry
 * into `<outDir>/server/index.mjs` with esbuild, traces the modules it loads at run time
 * into `<outDir>/server/node_modules` with `@vercel/nft`, copies server assets into
 * `<outDir>/server/assets/<baseName>`, and prerenders `prerender`/`static` routes
 * into `<outDir>/public`.
 */
export async function buildOutput(options: BuildOptions): Promise<BuildResult> {
  // Both peers are checked before anything else, so one message names every missing one.
  const [esbuild] = await importOptionalPeers<[EsbuildModule, unknown]>(["esbuild", "@vercel/nft"], "`nitrokit build`", { dev: true }).catch((error: unknown) => {
    if (!(error instanceof MissingPackagesError)) throw error;
    throw new CliError(error.message, { cause: error });
  });
  const app = await loadApp(options.entryPath, { dev: false });
  const serverDir = join(options.outDir, "server");
  await rm(options.outDir, { recursive: true, force: true });
  await mkdir(serverDir, { recursive: true });

  const assets = await copyServerAssets(app, options.rootDir, join(serverDir, "assets"));
  const publicOut = join(options.outDir, "public");
  const publicFiles = options.publicDir ? await copyPublicDir(options.publicDir, join(publicOut, ...urlSegments(options.publicBaseURL ?? "/"))) : 0;
  // Prerendered before bundling, so the entry knows whether it has files to serve (after the copied files: a page wins).
  const prerendered = await prerenderPublic(app, publicOut, options.log);
  const entryFile = join(serverDir, "index.mjs");
  const node = usesNodeModules(options.preset);
  await esbuild.build({
    stdin: { contents: presetEntry(options.preset, options.entryPath, { hasAssets: assets.length > 0, hasPublic: prerendered + publicFiles > 0 }), resolveDir: dirname(options.entryPath), sourcefile: "nitrokit-entry.mjs", loader: "js" },
    bundle: true,
    format: "esm",
    // Where a module loader runs the output (every preset but Workers): modules the app imports
    // lazily (cron-parser, ocache, crossws, zod, drivers...) become chunks of their own, and so do
    // their `node:` imports, which in one file would all load at start-up.
    ...(node
      ? { splitting: true, outdir: serverDir, entryNames: "index", chunkNames: "chunks/[name]-[hash]", outExtension: { ".js": ".mjs" } }
      : { outfile: entryFile }),
    minify: options.minify,
    legalComments: "none",
    logLevel: "error",
    ...(node
      ? {
          platform: "node",
          target: "node20",
          plugins: [nativeFetchPlugin],
          // srvx and friends ship a build per runtime, listed before their `node` one.
          ...(options.preset === "bun" || options.preset === "deno" ? { conditions: [options.preset] } : {}),
          // CommonJS dependencies inside an ES module bundle still call require() for builtins.
          banner: { js: 'import { createRequire as __nitrokitCreateRequire } from "node:module"; const require = __nitrokitCreateRequire(import.meta.url);' },
        }
      : { platform: "neutral", target: "es2022", conditions: ["workerd", "worker", "browser", "import"], mainFields: ["module", "main"], external: ["node:*", "cloudflare:*"], plugins: [nodeBuiltinsPlugin] }),
  }).catch((error: unknown) => {
    throw new CliError(`Bundling ${relative(options.rootDir, options.entryPath)} failed.`, { cause: error });
  });

  let tracedFiles = 0;
  if (node) {
    tracedFiles = await traceNodeModules([entryFile], runtimeModules(app.config, options.preset), options.rootDir, serverDir);
    await writeFile(join(serverDir, "package.json"), `${JSON.stringify({ name: "nitrokit-output", private: true, type: "module" }, null, 2)}\n`);
  }
  await app.close();
  return { entryFile, tracedFiles, assets, prerendered };
}

/**
 * ofetch's `node` build wraps node-fetch-native (~115 kB minified); Node ≥ 18 has a
 * global fetch, which its default build uses. Resolve `ofetch` to that one.
 */
const nativeFetchPlugin = {
  name: "nitrokit-native-fetch",
  setup(build: { onResolve(options: { filter: RegExp }, callback: (args: { path: string; resolveDir: string; kind: string; pluginData?: unknown }) => unknown): void; resolve(path: string, options: Record<string, unknown>): Promise<{ path: string; errors: unknown[] }> }) {
    build.onResolve({ filter: /^ofetch$/ }, async (args) => {
      if (args.pluginData === "nitrokit-native-fetch") return undefined;
      const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: "nitrokit-native-fetch" });
      return resolved.errors.length === 0 ? { path: resolved.path.replace(/[\\/]node\.mjs$/, "/index.mjs") } : undefined;
    });
  },
};

/** `fs` → `node:fs` for Workers, as wrangler does under `nodejs_compat` (cron-parser imports `fs` unprefixed). */
const nodeBuiltinsPlugin = {
  name: "nitrokit-node-builtins",
  setup(build: { onResolve(options: { filter: RegExp }, callback: (args: { path: string }) => unknown): void }) {
    const names = new Set(builtinModules);
    build.onResolve({ filter: /^[a-z_/]+$/ }, (args) => (names.has(args.path) ? { path: `node:${args.path}`, external: true } : undefined));
  },
};

/** Copies each asset directory (explicit ones, and `<rootDir>/assets` as `server` when it exists). */
async function copyServerAssets(app: NitroApp, rootDir: string, assetsDir: string): Promise<string[]> {
  const dirs = [...(app.config.serverAssets ?? [])];
  if (!dirs.some((dir) => dir.baseName === "server")) dirs.push({ baseName: "server", dir: "assets" });
  const copied: string[] = [];
  const appRoot = app.config.rootDir ?? rootDir;
  for (const { baseName, dir } of dirs) {
    const source = resolve(appRoot, dir);
    if (!existsSync(source)) {
      if (baseName === "server") continue;
      throw new CliError(`serverAssets '${baseName}': directory '${source}' does not exist.`);
    }
    await cp(source, join(assetsDir, baseName), { recursive: true });
    copied.push(baseName);
  }
  return copied;
}

/** A URL path's segments (`/app/` → `["app"]`), refusing any that would step out of the public folder. */
function urlSegments(baseURL: string): string[] {
  const segments = baseURL.split("/").filter(Boolean).map((segment) => decodeURIComponent(segment));
  if (segments.some((segment) => segment === "." || segment === ".." || segment.includes("\\"))) throw new CliError(`Invalid public base URL '${baseURL}'.`);
  return segments;
}

/** Copies a front end's build into the output's public folder; returns how many files it holds. */
async function copyPublicDir(source: string, target: string): Promise<number> {
  if (!existsSync(source)) throw new CliError(`The public folder '${source}' does not exist.`);
  await cp(source, target, { recursive: true });
  return (await folderSize(target)).files;
}

/** Prerenders the routes whose rules say `prerender`/`static` (none: nothing written). */
async function prerenderPublic(app: NitroApp, publicDir: string, log: (line: string) => void): Promise<number> {
  const rules = Object.entries(app.config.routeRules ?? {}).filter(([, rule]) => (rule as { prerender?: boolean; static?: boolean }).prerender || (rule as { static?: boolean }).static);
  if (rules.length === 0) return 0;
  const { prerender } = await import("../../adapters/node/prerender.js");
  await app.ready();
  const report = await prerender(app, { outDir: publicDir, log: (line) => log(`  ${line}`) });
  return report.filter((route) => route.file).length;
}

/** Files and bytes under a folder (for the summary line). */
export async function folderSize(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return { files, bytes };
}
