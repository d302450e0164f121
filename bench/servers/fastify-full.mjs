// Fastify doing the full-stack app's work (bench/lib/full-stack-app.mjs) the Fastify way, for a
// like-for-like comparison with nitrokit-full: an `onRequest` hook, a `preHandler` hook standing
// for the global middleware (it sets a request value), a config object read by the handlers, 50
// encapsulated plugins whose routes and header hooks sit under prefixes the measured routes never
// take, and the API routes in one whose hook adds `x-powered-by` (nitrokit-full's matching rule).
import Fastify from "fastify";

const port = Number(process.env.PORT ?? 3000);
const config = { helloMessage: "Hello from Nitro!", public: { apiBase: "/api" } };
let requests = 0;

const app = Fastify({ logger: false });
app.decorateRequest("x", 0);
app.addHook("onRequest", (_request, _reply, done) => {
  requests++;
  done();
});
app.addHook("preHandler", (request, _reply, done) => {
  request.x = 1;
  done();
});
for (let i = 0; i < 50; i++) {
  app.register(
    async (scope) => {
      scope.addHook("onRequest", (_request, reply, done) => {
        reply.header(`x-${i}`, String(i));
        done();
      });
      scope.get("/*", async () => ({ pattern: i }));
    },
    { prefix: `/pattern-${i}` },
  );
}
app.register(
  async (api) => {
    api.addHook("onRequest", (_request, reply, done) => {
      reply.header("x-powered-by", "nitrokit");
      done();
    });
    api.get("/hello", async () => ({ message: config.helloMessage }));
    api.get("/users/:id", async (request) => ({ userId: request.params.id }));
  },
  { prefix: "/api" },
);

await app.listen({ port, host: "127.0.0.1" });
