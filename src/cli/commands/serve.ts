import { defineCommand } from "citty";
import { entryArg, listenArgs } from "../args.js";
import { printBanner, serverUrls } from "../banner.js";
import { resolveEntry } from "../entry.js";
import { closeOnSignals, listen } from "../listen.js";
import { displayPath, loadApp } from "../load-app.js";
import { runCommand } from "../run.js";
import { readyOrFail } from "../start-app.js";
import { isClusterWorker } from "../../server/cluster/worker.js";
import { serveClusterPrimary, workersFromArgs } from "../cluster.js";

export default defineCommand({
  meta: { name: "serve", description: "Serve the app with the Node adapter (production mode)" },
  args: {
    ...entryArg,
    ...listenArgs,
    "trust-proxy": {
      type: "string",
      description: "Let X-Forwarded-For/Proto/Host from this proxy shape the client IP and URL: true (any), loopback, or addresses a,b (default: off)",
    },
    workers: {
      type: "string",
      alias: "w",
      description: 'Run N worker processes behind one port, or "auto" for one per core (default: NITRO_CLUSTER_WORKERS, else one process)',
    },
  },
  run: ({ args }) =>
    runCommand(async () => {
      const started = performance.now();
      const entry = resolveEntry(args.entry);
      const workers = workersFromArgs(args.workers);
      // The primary loads no app: each worker runs this same command line and serves its own.
      if (workers !== undefined && !isClusterWorker()) return serveClusterPrimary({ workers, entry, args, started });
      const app = await readyOrFail(await loadApp(entry, { dev: false }));
      const server = await listen(app, args).catch(async (error: unknown) => {
        await app.close();
        throw error;
      });
      closeOnSignals(() => server.close());
      if (isClusterWorker()) return; // the primary prints the banner once
      const took = Math.round(performance.now() - started);
      printBanner({ mode: "serve", entry: displayPath(entry), urls: serverUrls(server, args.host || process.env.HOST), took });
    }),
});
