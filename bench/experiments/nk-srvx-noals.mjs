// Experiment: both of the above: srvx NodeServer + no ALS.
import "./_no-als.mjs";
const { serve } = await import("srvx/node");
const { app } = await import("./_nitrokit-app.mjs");
await app.ready();
serve({ fetch: (request) => app.fetch(request), port: Number(process.env.PORT ?? 3000), hostname: "127.0.0.1", silent: true, gracefulShutdown: false });
