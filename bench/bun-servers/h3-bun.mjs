// Reference: plain h3 v2 on Bun (its serve() runs on srvx's Bun adapter).
import { H3, serve } from "h3";

const app = new H3();
app.get("/api/hello", () => ({ message: "Hello from Nitro!" }));
app.get("/api/users/:id", (event) => ({ userId: event.context.params.id }));
serve(app, { port: Number(process.env.PORT ?? 3000), hostname: "127.0.0.1", silent: true, gracefulShutdown: false });
