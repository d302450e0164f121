// npm start: the showcase on PORT/HOST (default 3000, every interface), data in ./.data
import { serve } from "nitrokit/node";
import { createShowcaseApp } from "./app.mjs";

const app = createShowcaseApp();
await app.ready();
const server = serve(app, { port: process.env.PORT ?? 3000, hostname: process.env.HOST });
await server.ready();
console.log(`Open ${server.url} in a browser, or try:
  curl ${server.url}api/hello
  curl ${server.url}api/products       (SQLite in .data/db.sqlite)
  curl ${server.url}api/counter        (KV in .data/kv)
  curl ${server.url}api/expensive      (2 s the first time, then cached)
  curl ${server.url}api/github/nitrojs/nitro   (cached function over a local stand-in upstream)`);
