import { defineCommand } from "citty";
import { entryArg, listenArgs } from "../args.js";
import { printBanner, serverUrls } from "../banner.js";
import { projectRootOf, resolveEntry } from "../entry.js";
import { closeOnSignals, listen } from "../listen.js";
import { displayPath, warmUpTransform } from "../load-app.js";
import { runCommand } from "../run.js";
import { FreshModules } from "../dev/fresh-modules.js";
import { loadDotenvFiles } from "../dev/dotenv.js";
import { DevSession } from "../dev/session.js";
import { watchProject } from "../dev/watcher.js";

export default defineCommand({
  meta: { name: "dev", description: "Serve the app in development mode, reloading it on every change without dropping the port" },
  args: { ...entryArg, ...listenArgs },
  run: ({ args }) =>
    runCommand(async () => {
      const started = performance.now();
      // Apps created at import time pick `dev: true` up from here (see withDevDefault).
      process.env.NITROKIT_DEV = "1";
      process.env.NODE_ENV ??= "development";
      const entry = resolveEntry(args.entry);
      const root = projectRootOf(entry);
      // Before the app module is imported, so runtime config's env overlay sees them (never in `serve`).
      const envFiles = loadDotenvFiles(root);
      const session = new DevSession(entry, new FreshModules(root));
      const app = await session.start();
      // Development error pages show stacks: only this machine sees them unless asked otherwise.
      const host = args.host || process.env.HOST || "localhost";
      const server = await listen(app, { port: args.port, host }).catch(async (error: unknown) => {
        await app.close();
        throw error;
      });
      session.attach(server);
      const watcher = await watchProject(root, (changes) => session.onChanges(changes));
      closeOnSignals(async () => {
        await watcher.close();
        await session.close();
      });
      const took = Math.round(performance.now() - started);
      printBanner({ mode: "dev", entry: displayPath(entry), urls: serverUrls(server, host), took, envFiles });
      setTimeout(() => warmUpTransform(entry), 100).unref();
    }),
});
