import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { ENTRY_SOURCES } from "./scripts/entries.ts";

export default defineConfig({
  resolve: {
    // Examples import "nitrokit/…" as users do; in tests that means the source, not a stale build.
    // Every public entry of package.json `exports`, by exact specifier (scripts/entries.ts).
    alias: Object.entries(ENTRY_SOURCES).map(([specifier, source]) => ({
      find: new RegExp(`^${specifier.replace(/[/.]/g, "\\$&")}$`),
      replacement: fileURLToPath(new URL(`./${source}`, import.meta.url)),
    })),
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
