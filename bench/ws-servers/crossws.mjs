// The same room on bare crossws: its Node server (srvx + crossws' Node adapter), no framework.
import { serve } from "crossws/server/node";
import { room } from "./room.mjs";

serve({
  port: Number(process.env.PORT ?? 3000),
  hostname: "127.0.0.1",
  silent: true,
  websocket: room,
  fetch: () => new Response("ws only", { status: 426 }),
});
