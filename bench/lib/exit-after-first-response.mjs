// Preloaded (`node --import`) by bench/startup-instructions.mjs: the process exits as soon as its
// first HTTP response has been handed to the socket, so a count of the whole process is the count
// of its start-up to its first answer, whatever the server (node:http, srvx, Hono's or Fastify's).
// Hooked at `Server.prototype.emit`, before any listener runs: frameworks replace or add their own
// "request" listeners, but every request is emitted.
import http from "node:http";

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function emitAndExitAfterFirstResponse(event, ...args) {
  if (event === "request") args[1].once("finish", () => setImmediate(() => process.exit(0)));
  return emit.call(this, event, ...args);
};
