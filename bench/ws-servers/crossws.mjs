// The same room on bare crossws: its Node server (srvx + crossws' Node adapter), no framework.
// Listens on PORT (0: a free one) and prints its URL.
import { serve } from "crossws/server/node";
import { room } from "./room.mjs";

const server = serve({
  port: Number(process.env.PORT ?? 0),
  hostname: "127.0.0.1",
  silent: true,
  websocket: room,
  fetch: () => new Response("ws only", { status: 426 }),
});
await server.ready();
console.log(server.url);
