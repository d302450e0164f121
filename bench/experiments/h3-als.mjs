// Experiment: plain h3 on srvx's NodeServer, but every request runs inside
// AsyncLocalStorage#run (what nitrokit does per request): the ALS tax on h3 alone.
import { AsyncLocalStorage } from "node:async_hooks";
import { H3 } from "h3";
import { serve } from "srvx/node";

const storage = new AsyncLocalStorage();
const app = new H3()
  .get("/api/hello", () => ({ message: "Hello from Nitro!" }))
  .get("/api/users/:id", (event) => ({ userId: event.context.params.id }));

serve({
  fetch: (request) => storage.run({ request }, () => app.fetch(request)),
  port: Number(process.env.PORT ?? 3000),
  hostname: "127.0.0.1",
  silent: true,
  gracefulShutdown: false,
});
