import { defineCommand } from "citty";
import { entryArg, listenArgs } from "../args.js";
import { printBanner, serverUrls } from "../banner.js";
import { resolveEntry } from "../entry.js";
import { closeOnSignals, listen } from "../listen.js";
import { displayPath, loadApp } from "../load-app.js";
import { runCommand } from "../run.js";
import { readyOrFail } from "../start-app.js";

export default defineCommand({
  meta: { name: "serve", description: "Serve the app with the Node adapter (production mode)" },
  args: { ...entryArg, ...listenArgs },
  run: ({ args }) =>
    runCommand(async () => {
      const started = performance.now();
      const entry = resolveEntry(args.entry);
      const app = await readyOrFail(await loadApp(entry, { dev: false }));
      const server = await listen(app, args).catch(async (error: unknown) => {
        await app.close();
        throw error;
      });
      closeOnSignals(() => server.close());
      const took = Math.round(performance.now() - started);
      printBanner({ mode: "serve", entry: displayPath(entry), urls: serverUrls(server, args.host || process.env.HOST), took });
    }),
});
