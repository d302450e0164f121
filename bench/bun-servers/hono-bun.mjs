// Peer: Hono on Bun (its app.fetch handed to Bun.serve, as Hono's Bun guide does).
import { Hono } from "hono";

const app = new Hono();
app.get("/api/hello", (c) => c.json({ message: "Hello from Nitro!" }));
app.get("/api/users/:id", (c) => c.json({ userId: c.req.param("id") }));
Bun.serve({ port: Number(process.env.PORT ?? 3000), hostname: "127.0.0.1", fetch: app.fetch });
