// raw node:http after `import "h3"` (h3 imports srvx).
await import("h3");
await import("../servers/node-http.mjs");
