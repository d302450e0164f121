// h3 v2 doing the full-stack app's work (bench/lib/full-stack-app.mjs) the h3 way, for a
// like-for-like comparison with nitrokit-full: a request hook (`onRequest`), one global middleware
// that sets a context value, a config object read by the handlers, 50 path-scoped middleware that
// set a header on paths the measured routes never take, and one that does (`/api/**` adds
// `x-powered-by`, as nitrokit-full's matching `headers` rule does).
import { H3, serve } from "h3";

const port = Number(process.env.PORT ?? 3000);
const config = { helloMessage: "Hello from Nitro!", public: { apiBase: "/api" } };
let requests = 0;

const app = new H3({ onRequest: () => void requests++ });
app.use((event) => {
  event.context.x = 1;
});
for (let i = 0; i < 50; i++) app.use(`/pattern-${i}/**`, (event) => void event.res.headers.set(`x-${i}`, String(i)));
app.use("/api/**", (event) => void event.res.headers.set("x-powered-by", "nitrokit"));
app.get("/api/hello", () => ({ message: config.helloMessage }));
app.get("/api/users/:id", (event) => ({ userId: event.context.params.id }));

serve(app, { port, hostname: "127.0.0.1", silent: true, gracefulShutdown: false });
