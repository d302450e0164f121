// Fastify, default settings, no logger.
import Fastify from "fastify";

const port = Number(process.env.PORT ?? 3000);

const app = Fastify({ logger: false });
app.get("/api/hello", async () => ({ message: "Hello from Nitro!" }));
app.get("/api/users/:id", async (request) => ({ userId: request.params.id }));

await app.listen({ port, host: "127.0.0.1" });
