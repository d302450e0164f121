// The requests bench/lib/drive-listener.mjs and bench/lib/count-listener.mjs hand a server's
// `request` listener: real `http.IncomingMessage`/`http.ServerResponse` objects over a kept-alive
// socket that discards what is written, as Node's HTTP parser would hand them, one at a time.
import { IncomingMessage, ServerResponse } from "node:http";
import { Duplex } from "node:stream";
import { pathToFileURL } from "node:url";

/** Imports a bench server script (its listen() binds nothing: in-process-listen.mjs) and returns its node:http server. */
export async function importServer(file) {
  await import(pathToFileURL(file).href);
  for (let i = 0; i < 200 && globalThis.__benchServers.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
  const server = globalThis.__benchServers[0];
  if (!server) throw new Error(`${file} started no node:http server`);
  await new Promise((r) => setTimeout(r, 50));
  return server;
}

/** A keep-alive connection whose writes go nowhere. */
class SinkSocket extends Duplex {
  remoteAddress = "127.0.0.1";
  remotePort = 50000;
  localAddress = "127.0.0.1";
  localPort = 3000;
  remoteFamily = "IPv4";
  encrypted = false;
  constructor() {
    super({ decodeStrings: false });
  }
  _read() {}
  _write(_chunk, _encoding, callback) {
    callback();
  }
  _writev(_chunks, callback) {
    callback();
  }
  setTimeout() {
    return this;
  }
  setNoDelay() {
    return this;
  }
}
const socket = new SinkSocket();
const rawHeaders = ["Host", "127.0.0.1:3000", "User-Agent", "wrk", "Accept", "*/*"];

/** Serves one GET of `url` through `server`; resolves once the response has finished. */
export function one(server, url) {
  return new Promise((resolve, reject) => {
    const req = new IncomingMessage(socket);
    req.method = "GET";
    req.url = url;
    req.httpVersion = "1.1";
    req.httpVersionMajor = 1;
    req.httpVersionMinor = 1;
    req.rawHeaders = rawHeaders;
    req.headers = { host: "127.0.0.1:3000", "user-agent": "wrk", accept: "*/*" };
    req.complete = true;
    req.push(null);
    const res = new ServerResponse(req);
    res.shouldKeepAlive = true;
    res.assignSocket(socket);
    res.on("finish", () => {
      res.detachSocket(socket);
      if (res.statusCode !== 200) reject(new Error(`${url} answered ${res.statusCode}`));
      else resolve();
    });
    server.emit("request", req, res);
  });
}
