import { relative, resolve } from "node:path";
import { defineCommand } from "citty";
import { entryArg } from "../args.js";
import { buildOutput, folderSize } from "../build/build.js";
import { PRESETS, type Preset } from "../build/presets.js";
import { resolveEntry } from "../entry.js";
import { CliError, EXIT_USAGE } from "../errors.js";
import * as log from "../log.js";
import { runCommand } from "../run.js";

export default defineCommand({
  meta: { name: "build", description: "Bundle the app into a standalone .output (needs esbuild and @vercel/nft)" },
  args: {
    ...entryArg,
    preset: { type: "string", description: `Target: ${PRESETS.join(", ")} (default: node)`, default: "node" },
    outDir: { type: "string", description: "Output folder (default: .output)", default: ".output" },
    minify: { type: "boolean", description: "Minify the bundle (--no-minify to keep it readable)", default: true },
  },
  run: ({ args }) =>
    runCommand(async () => {
      const started = performance.now();
      const preset = args.preset as Preset;
      if (!PRESETS.includes(preset)) throw new CliError(`Unknown preset '${args.preset}': use one of ${PRESETS.join(", ")}.`, { exitCode: EXIT_USAGE });
      const entryPath = resolveEntry(args.entry);
      const outDir = resolve(args.outDir);
      const result = await buildOutput({ entryPath, preset, outDir, minify: args.minify, rootDir: process.cwd(), log: log.info });
      const size = await folderSize(outDir);
      log.info(`Built ${relative(process.cwd(), result.entryFile)} (${preset}) in ${Math.round(performance.now() - started)} ms: ` +
        `${size.files} files, ${(size.bytes / 1024).toFixed(1)} kB; ${result.tracedFiles} traced into node_modules; ` +
        `assets: ${result.assets.join(", ") || "none"}; prerendered: ${result.prerendered}.`);
      log.info(preset === "node" ? `Start it with: node ${relative(process.cwd(), result.entryFile)}` : `Deploy ${relative(process.cwd(), outDir)} with the platform's tool.`);
    }, { exit: true }),
});
