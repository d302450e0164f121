// For bench/boot.mjs: raw node:http answering one route, the floor for process start → first response.
import { createServer } from "node:http";

const server = createServer((req, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ route: 0 }));
});
server.listen(0, "127.0.0.1", () => console.log(`LISTENING ${server.address().port}`));
