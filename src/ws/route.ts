import type { Hooks } from "crossws";
import { HTTPError, defineHandler, defineWebSocketHandler, type EventHandler } from "h3";

/**
 * The handler `app.websocket(path, hooks)` registers: upgrade requests get the
 * hooks (through h3's `defineWebSocketHandler`, so every adapter finds them on the
 * request); a plain request is an error, `426 Upgrade Required` with an `Upgrade`
 * header, answered like any other (JSON or HTML, custom error handlers).
 */
export function webSocketRoute(hooks: Partial<Hooks>): EventHandler {
  if (!hooks || typeof hooks !== "object") {
    throw new TypeError("[nitrokit] app.websocket(path, hooks): hooks must be an object ({ open, message, close, … }).");
  }
  const upgrade = defineWebSocketHandler(hooks);
  return defineHandler((event) => {
    if (event.req.headers.get("upgrade")?.toLowerCase() === "websocket") return upgrade(event);
    throw new HTTPError({ status: 426, message: "This route only accepts WebSocket connections.", headers: { upgrade: "websocket" } });
  });
}
