// The least a request path standing on h3 and srvx can do per request: raw node:http's own routing
// by hand (bench/servers/node-http.mjs, free of any router's cost), plus what every h3 handler is
// given: srvx's lazy web `Request` over `req`, its `FastURL` (built from the request's parts, as
// the Node listener does), and h3's `H3Event` over them, the route's params on its context. The
// answer is written as the Node listener writes a plain JSON one. No hooks, middleware, rules or
// error handling: nitrokit's bare and full stacks do all of this and more.
import { createServer } from "node:http";
import { FastURL, NodeRequest } from "srvx/node";
import { H3Event } from "h3";

const port = Number(process.env.PORT ?? 3000);
const PREFIX = "/api/users/";
const HEADERS = ["content-type", "application/json;charset=UTF-8", "content-length", ""];

function json(res, value) {
  const body = JSON.stringify(value);
  const headers = HEADERS.slice();
  headers[3] = String(Buffer.byteLength(body));
  res.writeHead(200, headers);
  res.end(body);
}

createServer((req, res) => {
  const target = req.url;
  const q = target.indexOf("?");
  const path = q === -1 ? target : target.slice(0, q);
  const request = new NodeRequest({ req, res });
  request._url = new FastURL({ protocol: "http:", host: req.headers.host, pathname: path, search: q === -1 ? "" : target.slice(q) });
  const event = new H3Event(request);
  if (req.method === "GET" || req.method === "HEAD") {
    if (event.url.pathname === "/api/hello") return json(res, { message: "Hello from Nitro!" });
    if (path.startsWith(PREFIX)) {
      const id = path.slice(PREFIX.length);
      if (id && !id.includes("/")) {
        event.context.params = { id };
        return json(res, { userId: event.context.params.id });
      }
    }
  }
  res.writeHead(404, { "content-type": "application/json", "content-length": 14 });
  res.end('{"status":404}');
}).listen(port, "127.0.0.1");
