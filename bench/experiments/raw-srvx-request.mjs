// raw node:http (bench/servers/node-http.mjs, its routing and answers) that also builds srvx's lazy web
// `Request` over each request (`new NodeRequest({ req, res })`, unused): what that object costs alone.
import { createServer } from "node:http";
import { NodeRequest } from "srvx/node";
const port = Number(process.env.PORT ?? 3000);
const PREFIX = "/api/users/";
function json(res, value) {
  const body = JSON.stringify(value);
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}
let sink;
createServer((req, res) => {
  sink = new NodeRequest({ req, res }); // VARIANT
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
