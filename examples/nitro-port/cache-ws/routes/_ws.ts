import { defineWebSocketHandler } from "nitrokit";

export default defineWebSocketHandler({
  open(peer) {
    peer.subscribe("room");
    peer.send({ from: "server", text: "welcome" });
  },
  message(peer, message) {
    const text = message.text();
    if (text === "ping") peer.send({ from: "server", text: "pong" });
    else peer.publish("room", { from: peer.id, text });
  },
});
