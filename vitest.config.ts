import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Examples import "nitrokit/…" as users do; in tests that means the source, not a stale build.
    alias: [
      { find: /^nitrokit$/, replacement: src("index.ts") },
      { find: /^nitrokit\/h3$/, replacement: src("h3.ts") },
      { find: /^nitrokit\/config$/, replacement: src("config-entry.ts") },
      { find: /^nitrokit\/app$/, replacement: src("app-entry.ts") },
      { find: /^nitrokit\/context$/, replacement: src("context-entry.ts") },
      { find: /^nitrokit\/runtime-config$/, replacement: src("runtime-config.ts") },
      { find: /^nitrokit\/storage$/, replacement: src("storage/index.ts") },
      { find: /^nitrokit\/database$/, replacement: src("database/index.ts") },
      { find: /^nitrokit\/cache$/, replacement: src("cache/index.ts") },
      { find: /^nitrokit\/task$/, replacement: src("tasks/index.ts") },
      { find: /^nitrokit\/node$/, replacement: src("adapters/node.ts") },
      { find: /^nitrokit\/routing$/, replacement: src("routing/index.ts") },
      { find: /^nitrokit\/routing\/node$/, replacement: src("adapters/routing-node.ts") },
      { find: /^nitrokit\/bun$/, replacement: src("adapters/bun.ts") },
      { find: /^nitrokit\/deno$/, replacement: src("adapters/deno.ts") },
      { find: /^nitrokit\/workers$/, replacement: src("adapters/workers.ts") },
      { find: /^nitrokit\/aws-lambda$/, replacement: src("adapters/aws-lambda.ts") },
      { find: /^nitrokit\/netlify$/, replacement: src("adapters/netlify.ts") },
      { find: /^nitrokit\/client$/, replacement: src("client.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    // Builds the package the CLI tests spawn (skipped when no source changed).
    globalSetup: ["test/cli/global-setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Tests spawn real servers and child processes; two cores do not gain from more workers.
    maxWorkers: 2,
  },
});
