// Broadcast room on nitrokit: app.websocket + serve() from nitrokit/node (built package).
// Listens on PORT (0: a free one) and prints its URL.
import { createNitroApp } from "../../dist/index.js";
import { serve } from "../../dist/adapters/node.js";
import { room } from "./room.mjs";

const app = createNitroApp();
app.websocket("/_ws", room);
const server = serve(app, { port: Number(process.env.PORT ?? 0), hostname: "127.0.0.1", silent: true });
await server.ready();
console.log(server.url);
