// h3 v2 through its own Node entry: `serve` (srvx NodeServer around app.fetch).
import { H3, serve } from "h3";

const port = Number(process.env.PORT ?? 3000);

const app = new H3()
  .get("/api/hello", () => ({ message: "Hello from Nitro!" }))
  .get("/api/users/:id", (event) => ({ userId: event.context.params.id }));

serve(app, { port, hostname: "127.0.0.1", silent: true, gracefulShutdown: false });
