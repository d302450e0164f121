// Serves the todo API on PORT (default 3000). Run the TypeScript with Node ≥ 22.6
// (node --experimental-strip-types examples/typed-api/server.ts) or compile it with tsc first.
import { serve } from "nitrokit/node";
import { app } from "./app.js";

await app.ready();
const server = serve(app, { port: Number(process.env.PORT ?? 3000), hostname: process.env.HOST });
await server.ready();
console.log(`Todos API on ${server.url} — reference page: ${server.url}_swagger, document: ${server.url}_openapi.json`);
