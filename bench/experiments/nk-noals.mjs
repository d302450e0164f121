// Experiment: nitrokit-bare with nitrokit/node's serve(), but AsyncLocalStorage#run stubbed out.
import "./_no-als.mjs";
const { serve } = await import("../../dist/adapters/node.js");
const { app } = await import("./_nitrokit-app.mjs");
serve(app, { port: Number(process.env.PORT ?? 3000), hostname: "127.0.0.1", silent: true });
