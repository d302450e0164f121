// Serves the fs-routing example on PORT/HOST (default 3000, every interface).
//   Node 20:        node --import tsx examples/fs-routing/server.ts
//   Node ≥ 22.18:   node examples/fs-routing/server.ts   (Node strips the types itself)
import { serve } from "nitrokit/node";
import { createFsRoutingApp } from "./app.ts";

const { app, registered } = createFsRoutingApp();
await app.ready();
const server = serve(app, { port: process.env.PORT ?? 3000, hostname: process.env.HOST });
await server.ready();
console.log(`${registered.routes.length} routes, ${registered.middleware.length} middleware, ${registered.tasks.length} task(s)`);
console.log(`Try: curl ${server.url}api/hello`);
