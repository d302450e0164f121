// The seed's WebSocket chat: its `routes/_ws.ts` handler, registered by hand at /_ws,
// plus a page to try it in a browser and an HTTP route that posts into the room.
import { createNitroApp } from "nitrokit";
import { defineHandler, readBody, HTTPError } from "nitrokit/h3";
import chat from "./routes/_ws.mjs";

/**
 * @param {import("nitrokit").NitroConfig} [config] e.g. `{ websocket: { pubsub: { driver: "redis", url } } }`
 *   so several instances share the room.
 */
export function createChatApp(config = {}) {
  const app = createNitroApp(config);
  app.get("/_ws", chat);
  // Server-side announcements reach every subscriber (on every instance, with pubsub).
  app.post(
    "/api/announce",
    defineHandler(async (event) => {
      const body = await readBody(event);
      if (typeof body?.message !== "string" || body.message.length === 0) {
        throw new HTTPError({ status: 400, message: "Expected { message: string }" });
      }
      app.publish("chat-room", { type: "announcement", message: body.message, timestamp: Date.now() });
      return { sent: true };
    }),
  );
  app.get("/", defineHandler((event) => {
    event.res.headers.set("content-type", "text/html; charset=utf-8");
    return PAGE;
  }));
  return app;
}

const PAGE = `<!doctype html>
<meta charset="utf-8"><title>nitrokit chat</title>
<ul id="log"></ul>
<form id="f"><input id="m" autocomplete="off" placeholder="Say something"><button>Send</button></form>
<script>
  const ws = new WebSocket(location.origin.replace(/^http/, "ws") + "/_ws");
  const log = (text) => { const li = document.createElement("li"); li.textContent = text; document.getElementById("log").append(li); };
  ws.onmessage = (event) => { const m = JSON.parse(event.data); log(m.type + (m.message ? ": " + m.message : "")); };
  document.getElementById("f").onsubmit = (event) => {
    event.preventDefault();
    const input = document.getElementById("m");
    ws.send(JSON.stringify({ type: "chat", message: input.value }));
    input.value = "";
  };
</script>`;
