import { defineWebSocketHandler } from "nitrokit/h3";

// Echoes each message back, prefixed: the page shows the reply.
export default defineWebSocketHandler({
  message(peer, message) {
    peer.send(`pong: ${message.text()}`);
  },
});
