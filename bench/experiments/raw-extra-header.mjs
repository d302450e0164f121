// Raw node:http (bench/servers/node-http.mjs) writing one more header, `x-powered-by` (what nitrokit-full's matching rule adds): Node's cost of a header.
import { createServer } from "node:http";

const port = Number(process.env.PORT ?? 3000);
const PREFIX = "/api/users/";

function json(res, value) {
  const body = JSON.stringify(value);
  res.writeHead(200, { "content-type": "application/json", "x-powered-by": "nitrokit", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

createServer((req, res) => {
  if (req.method === "GET" || req.method === "HEAD") {
    const url = req.url;
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    if (path === "/api/hello") return json(res, { message: "Hello from Nitro!" });
    if (path.startsWith(PREFIX)) {
      const id = path.slice(PREFIX.length);
      if (id && !id.includes("/")) return json(res, { userId: id });
    }
  }
  res.writeHead(404, { "content-type": "application/json", "x-powered-by": "nitrokit", "content-length": 14 });
  res.end('{"status":404}');
}).listen(port, "127.0.0.1");
