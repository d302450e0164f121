// The hooks both servers run: every peer joins one room; a message is published to everyone else in it.
export const room = {
  open(peer) {
    peer.subscribe("room");
  },
  message(peer, message) {
    peer.publish("room", message.text());
  },
};
