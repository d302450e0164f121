// Peer: Elysia on Bun (its own Bun.serve, with its compiled handlers and Bun's native `routes`).
import { Elysia } from "elysia";

new Elysia()
  .get("/api/hello", () => ({ message: "Hello from Nitro!" }))
  .get("/api/users/:id", ({ params }) => ({ userId: params.id }))
  .listen({ port: Number(process.env.PORT ?? 3000), hostname: "127.0.0.1" });
