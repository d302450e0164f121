// Child of bench/js-cost.mjs: imports a bench server script (whose listen() binds nothing, see
// in-process-listen.mjs), then times its `request` listener over real IncomingMessage and
// ServerResponse objects on a socket that discards the bytes. Prints one JSON line: µs per
// request (CPU time) for each route given; `{n}` in a route becomes the request's number (a new
// path on every request).
import { IncomingMessage, ServerResponse } from "node:http";
import { Duplex } from "node:stream";
import { pathToFileURL } from "node:url";

const [file, count, ...routes] = process.argv.slice(2);
const requests = Number(count);
await import(pathToFileURL(file).href);
for (let i = 0; i < 200 && globalThis.__benchServers.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
const server = globalThis.__benchServers[0];
if (!server) throw new Error(`${file} started no node:http server`);
await new Promise((r) => setTimeout(r, 50));

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

function one(url) {
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

// Timed in CPU time of this process (not wall time, which counts the moments the scheduler gave
// the core to another process), in batches of 5,000 requests; the median batch counts.
const BATCH = 5_000;
const result = [];
let sequence = 0;
for (const route of routes) {
  const distinct = route.includes("{n}");
  const next = distinct ? () => route.replace("{n}", String(++sequence)) : () => route;
  // A real server's event loop turns between requests (socket reads); this loop alone would run on
  // microtasks only, so it lets the loop turn now and then, for what a server does there (timers, imports).
  for (let i = 0; i < 20_000; i++) {
    await one(next());
    if (i % 1_000 === 999) await new Promise((resolve) => setImmediate(resolve));
  }
  const batches = [];
  for (let done = 0; done < requests; done += BATCH) {
    await new Promise((resolve) => setImmediate(resolve));
    const start = process.cpuUsage();
    for (let i = 0; i < BATCH; i++) await one(next());
    const used = process.cpuUsage(start);
    batches.push((used.user + used.system) / BATCH);
  }
  batches.sort((a, b) => a - b);
  result.push(batches[batches.length >> 1]);
}
console.log(JSON.stringify(result));
process.exit(0);
