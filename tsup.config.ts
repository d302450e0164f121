import { defineConfig } from "tsup";

/** One bundle entry per public entry point; output paths mirror src/ so tsc's declarations sit beside them. */
export default defineConfig({
  entry: {
    index: "src/index.ts",
    h3: "src/h3.ts",
    "config-entry": "src/config-entry.ts",
    "runtime-config": "src/runtime-config.ts",
    "storage/index": "src/storage/index.ts",
    "database/index": "src/database/index.ts",
    "cache/index": "src/cache/index.ts",
    "tasks/index": "src/tasks/index.ts",
    "adapters/node": "src/adapters/node.ts",
    client: "src/client.ts",
  },
  format: ["esm"],
  target: "node20",
  platform: "neutral",
  splitting: true,
  clean: true,
  dts: false,
  sourcemap: false,
  treeshake: true,
  // tsup leaves dependencies and peers external on its own, but not optional dependencies.
  external: ["@libsql/client"],
});
