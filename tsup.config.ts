import { defineConfig } from "tsup";

/** One bundle entry per public entry point; output paths mirror src/ so tsc's declarations sit beside them. */
export default defineConfig({
  entry: {
    index: "src/index.ts",
    h3: "src/h3.ts",
    "config-entry": "src/config-entry.ts",
    "app-entry": "src/app-entry.ts",
    "context-entry": "src/context-entry.ts",
    "runtime-config": "src/runtime-config.ts",
    "storage/index": "src/storage/index.ts",
    "database/index": "src/database/index.ts",
    "cache/index": "src/cache/index.ts",
    "tasks/index": "src/tasks/index.ts",
    "adapters/node": "src/adapters/node.ts",
    "routing/index": "src/routing/index.ts",
    "adapters/routing-node": "src/adapters/routing-node.ts",
    // The `nitrokit` bin, and the module hooks `nitrokit dev` registers (loaded by URL beside it).
    cli: "src/cli/index.ts",
    "cli-dev-hooks": "src/cli/dev/module-hooks.ts",
    "adapters/bun": "src/adapters/bun.ts",
    "adapters/deno": "src/adapters/deno.ts",
    "adapters/workers": "src/adapters/workers.ts",
    "adapters/aws-lambda": "src/adapters/aws-lambda.ts",
    "adapters/netlify": "src/adapters/netlify.ts",
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
  // Keep `node:` in imports: bundlers for Workers (nodejs_compat) and Deno resolve builtins by it.
  removeNodeProtocol: false,
  // tsup leaves dependencies and peers external on its own, but not optional dependencies.
  external: ["@libsql/client", /^node:/],
});
