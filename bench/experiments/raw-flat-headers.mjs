// raw node:http writing its headers as the Node listener does: a flat array with h3's JSON content type
// (src/adapters/node/listener.ts, writePlainAnswer). Counted level with raw's object of headers.
import { createServer } from "node:http";
const port = Number(process.env.PORT ?? 3000);
const PREFIX = "/api/users/";
const headers = ["content-type", "application/json;charset=UTF-8", "content-length", ""];
function json(res, value) {
  const body = JSON.stringify(value);
  const flat = headers.slice();
  flat[3] = String(Buffer.byteLength(body));
  res.writeHead(200, flat);
  res.end(body);
}
createServer((req, res) => {
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
