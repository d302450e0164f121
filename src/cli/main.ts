import { readFileSync } from "node:fs";
import { defineCommand } from "citty";

/** The `nitrokit` command: each subcommand's module loads only when it runs. */
export const main = defineCommand({
  meta: { name: "nitrokit", version: packageVersion(), description: "Serve, develop and inspect a nitrokit app without a build step" },
  subCommands: {
    serve: () => import("./commands/serve.js").then((m) => m.default),
    dev: () => import("./commands/dev.js").then((m) => m.default),
    routes: () => import("./commands/routes.js").then((m) => m.default),
    task: () => import("./commands/task.js").then((m) => m.default),
    build: () => import("./commands/build.js").then((m) => m.default),
  },
});

function packageVersion(): string | undefined {
  try {
    // dist/*.js → the package's own package.json
    return (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: string }).version;
  } catch {
    return undefined;
  }
}
