// raw node:http that routes with rou3's `findRoute` (as h3 does) instead of by hand: what a lookup costs.
// nitrokit finds its routes with a matcher compiled from the same tree (src/app/plain-route-matcher.ts).
import { createServer } from "node:http";
import { createRouter, addRoute, findRoute } from "rou3";
const port = Number(process.env.PORT ?? 3000);
const router = createRouter();
addRoute(router, "GET", "/api/hello", () => ({ message: "Hello from Nitro!" }));
addRoute(router, "GET", "/api/users/:id", (params) => ({ userId: params.id }));
createServer((req, res) => {
  const url = req.url;
  const q = url.indexOf("?");
  const path = q === -1 ? url : url.slice(0, q);
  const match = findRoute(router, req.method, path);
  if (!match) { res.writeHead(404); res.end(); return; }
  const body = JSON.stringify(match.data(match.params ?? {}));
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}).listen(port, "127.0.0.1");
