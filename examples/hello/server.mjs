// npm start: serves the hello example on PORT/HOST (default 3000, every interface).
import { serve } from "nitrokit/node";
import { app } from "./app.mjs";

await app.ready();
const server = serve(app, { port: process.env.PORT ?? 3000, hostname: process.env.HOST });
await server.ready();
console.log(`Try: curl ${server.url}api/hello`);
