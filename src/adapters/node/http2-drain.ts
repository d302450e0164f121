import type { Http2SecureServer, Http2Session } from "node:http2";
import type { TLSSocket } from "node:tls";

/** How often idle HTTP/1.1 sockets are swept while the server stops. */
const SWEEP_INTERVAL = 50;

/** What `serve()` needs to stop an HTTP/2 server gracefully. */
export interface Http2Drain {
  /** Starts the stop: sessions finish their open streams then close; idle HTTP/1.1 sockets close. Returns what ends the sweeping. */
  begin(): () => void;
  /** Drops every connection left (the graceful timeout passed). */
  destroyAll(): void;
}

/**
 * Graceful stop for `node:http2`'s server, which has no `closeIdleConnections()`: HTTP/2
 * sessions get GOAWAY (`session.close()` lets open streams finish), and the HTTP/1.1
 * sockets of the ALPN fallback close as soon as no request is in flight on them, so an
 * idle client (a browser keeps both kinds open) does not hold the shutdown for its timeout.
 */
export function trackHttp2Connections(server: Http2SecureServer): Http2Drain {
  const sessions = new Set<Http2Session>();
  const sockets = new Set<TLSSocket>();
  /** Requests in flight per HTTP/1.1 socket. */
  const inFlight = new WeakMap<TLSSocket, number>();
  let stopping = false;

  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
    if (stopping) session.close();
  });
  server.on("secureConnection", (socket: TLSSocket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  server.on("request", (req, res) => {
    if (req.httpVersionMajor !== 1) return;
    const socket = req.socket as TLSSocket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    // Requests that still arrive on a kept-alive socket are served, then the socket closes.
    if (stopping) res.setHeader("connection", "close");
    res.once("close", () => inFlight.set(socket, (inFlight.get(socket) ?? 1) - 1));
  });

  const closeIdleSockets = () => {
    for (const socket of sockets) {
      // An HTTP/2 socket belongs to a session, closed above; an upgraded (WebSocket) one is closed by the app.
      if (socket.alpnProtocol === "h2" || (inFlight.get(socket) ?? 0) > 0 || !inFlight.has(socket)) continue;
      socket.destroy();
    }
  };

  return {
    begin() {
      stopping = true;
      for (const session of sessions) session.close();
      closeIdleSockets();
      const sweeper = setInterval(closeIdleSockets, SWEEP_INTERVAL);
      return () => clearInterval(sweeper);
    },
    destroyAll() {
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
    },
  };
}
