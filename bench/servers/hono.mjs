// Hono with @hono/node-server.
import { Hono } from "hono";
import { serve } from "@hono/node-server";

const port = Number(process.env.PORT ?? 3000);

const app = new Hono();
app.get("/api/hello", (c) => c.json({ message: "Hello from Nitro!" }));
app.get("/api/users/:id", (c) => c.json({ userId: c.req.param("id") }));

serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
