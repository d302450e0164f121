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
      { find: /^nitrokit\/runtime-config$/, replacement: src("runtime-config.ts") },
      { find: /^nitrokit\/storage$/, replacement: src("storage/index.ts") },
      { find: /^nitrokit\/database$/, replacement: src("database/index.ts") },
      { find: /^nitrokit\/cache$/, replacement: src("cache/index.ts") },
      { find: /^nitrokit\/task$/, replacement: src("tasks/index.ts") },
      { find: /^nitrokit\/node$/, replacement: src("adapters/node.ts") },
      { find: /^nitrokit\/client$/, replacement: src("client.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Tests spawn real servers and child processes; two cores do not gain from more workers.
    maxWorkers: 2,
  },
});
