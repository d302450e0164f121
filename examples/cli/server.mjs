// The module the `nitrokit` command loads (TypeScript works the same, no build step):
//   npx nitrokit dev examples/cli/server.mjs      reloads on every save, port and connections kept
//   npx nitrokit serve examples/cli/server.mjs    production mode
//   npx nitrokit routes examples/cli/server.mjs   the route table
//   npx nitrokit task run greet examples/cli/server.mjs --payload '{"name":"Ada"}'
// It default-exports a function building the app; `nitrokit dev` calls it with { dev: true }.
import { createNitroApp } from "nitrokit";
import { defineTask } from "nitrokit/task";
import { hello } from "./routes/hello.mjs";
import { progress } from "./routes/progress.mjs";

/** @param {{ dev: boolean }} context */
export default function createApp({ dev }) {
  const app = createNitroApp({
    dev,
    routeRules: { "/api/report": { cache: { maxAge: 60 } } },
    scheduledTasks: { "0 3 * * *": ["cleanup"] },
  });

  app.get("/api/hello", hello);
  app.get("/api/progress", progress);
  // Loaded on its first request.
  app.route({ route: "/api/report", method: "get", lazy: true, handler: () => import("./routes/report.mjs") });

  app.task("greet", defineTask({
    meta: { description: "Greets someone" },
    run: ({ payload }) => ({ greeting: `Hello, ${payload.name ?? "world"}!` }),
  }));
  app.task("cleanup", defineTask({
    meta: { description: "Nightly cleanup" },
    run: () => ({ removed: 0 }),
  }));
  return app;
}
