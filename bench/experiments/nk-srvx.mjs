// Experiment: the nitrokit-bare app served by srvx's NodeServer (what h3's serve() uses:
// detached response write, no promise per response) instead of nitrokit/node's serve().
// (app.fetch is wrapped: it is not bound to the app, so `{ fetch: app.fetch }` would lose `this`.)
import { serve } from "srvx/node";
const { app } = await import("./_nitrokit-app.mjs");
await app.ready();
serve({ fetch: (request) => app.fetch(request), port: Number(process.env.PORT ?? 3000), hostname: "127.0.0.1", silent: true, gracefulShutdown: false });
