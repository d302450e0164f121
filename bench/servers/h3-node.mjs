// h3 v2 the other documented Node way: node:http + h3's toNodeHandler (srvx toNodeHandler(app.fetch)).
import { createServer } from "node:http";
import { H3, toNodeHandler } from "h3";

const port = Number(process.env.PORT ?? 3000);

const app = new H3()
  .get("/api/hello", () => ({ message: "Hello from Nitro!" }))
  .get("/api/users/:id", (event) => ({ userId: event.context.params.id }));

createServer(toNodeHandler(app)).listen(port, "127.0.0.1");
