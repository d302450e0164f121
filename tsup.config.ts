import { defineConfig } from "tsup";
import { BUNDLE_ENTRIES } from "./scripts/entries.ts";

/** One bundle entry per public entry point; output paths mirror src/ so tsc's declarations sit beside them. */
export default defineConfig({
  // Every public entry of package.json `exports`, plus the bin and the dev module hooks (scripts/entries.ts).
  entry: { ...BUNDLE_ENTRIES },
  format: ["esm"],
  target: "node20",
  platform: "neutral",
  splitting: true,
  clean: true,
  dts: false,
  sourcemap: false,
  treeshake: true,
  // Keep `node:` in imports: bundlers for Workers (nodejs_compat) and Deno resolve builtins by it.
  removeNodeProtocol: false,
  // tsup leaves dependencies and peers external on its own, but not optional dependencies.
  external: ["@libsql/client", /^node:/],
});
