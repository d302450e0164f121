// Broadcast room on nitrokit: app.websocket + serve() from nitrokit/node (built package).
import { createNitroApp } from "../../dist/index.js";
import { serve } from "../../dist/adapters/node.js";
import { room } from "./room.mjs";

const app = createNitroApp();
app.websocket("/_ws", room);
serve(app, { port: Number(process.env.PORT ?? 3000), hostname: "127.0.0.1", silent: true });
