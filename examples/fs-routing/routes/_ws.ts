// routes/_ws.ts
import { defineWebSocketHandler } from "nitrokit/h3";

export default defineWebSocketHandler({
  open(peer) {
    console.log(`[WebSocket] Client connected: ${peer}`);

    // Send welcome message to the connected peer
    peer.send({
      type: "welcome",
      message: `Welcome, ${peer}!`,
      timestamp: Date.now()
    });

    // Subscribe to chat room
    peer.subscribe("chat-room");

    // Notify others about new user
    peer.publish("chat-room", {
      type: "user-joined",
      user: peer.toString(),
      timestamp: Date.now()
    });
  },

  message(peer, message) {
    console.log(`[WebSocket] Message from ${peer}:`, message.text());

    try {
      const data = JSON.parse(message.text());

      if (data.type === "ping") {
        peer.send({ type: "pong", timestamp: Date.now() });
      } else if (data.type === "chat") {
        // Broadcast to all subscribers
        peer.publish("chat-room", {
          type: "message",
          user: peer.toString(),
          message: data.message,
          timestamp: Date.now()
        });
      } else if (data.type === "private") {
        // Echo back to sender only
        peer.send({
          type: "private-response",
          message: data.message
        });
      }
    } catch (error) {
      peer.send({
        type: "error",
        message: "Invalid message format"
      });
    }
  },

  close(peer, details) {
    console.log(`[WebSocket] Client disconnected: ${peer}`);

    // Notify others about user leaving
    peer.publish("chat-room", {
      type: "user-left",
      user: peer.toString(),
      timestamp: Date.now()
    });

    peer.unsubscribe("chat-room");
  },

  error(peer, error) {
    console.error(`[WebSocket] Error for ${peer}:`, error);
  }
});

// Client usage:
// const ws = new WebSocket('ws://localhost:3000/_ws');
// ws.onmessage = (event) => console.log(JSON.parse(event.data));
// ws.send(JSON.stringify({ type: 'chat', message: 'Hello!' }));
