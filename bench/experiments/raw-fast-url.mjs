// raw node:http that also builds srvx's `FastURL` of each request from its parts, as the Node listener
// does (src/adapters/node/listener.ts), unused: what the URL h3's event needs costs alone.
import { createServer } from "node:http";
import { FastURL } from "srvx/node";
const port = Number(process.env.PORT ?? 3000);
const PREFIX = "/api/users/";
function json(res, value) {
  const body = JSON.stringify(value);
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}
let sink;
createServer((req, res) => {
  { const p = req.url, q = p.indexOf("?"); sink = new FastURL({ protocol: "http:", host: req.headers.host, pathname: q === -1 ? p : p.slice(0, q), search: q === -1 ? "" : p.slice(q) }); }
  const url = req.url;
  const q = url.indexOf("?");
  const path = q === -1 ? url : url.slice(0, q);
  if (path === "/api/hello") return json(res, { message: "Hello from Nitro!" });
  if (path.startsWith(PREFIX)) {
    const id = path.slice(PREFIX.length);
    if (id && !id.includes("/")) return json(res, { userId: id });
  }
  res.writeHead(404); res.end();
}).listen(port, "127.0.0.1");
