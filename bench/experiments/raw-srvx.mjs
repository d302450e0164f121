// raw node:http after `import "srvx"` (its Node build, which reads Headers, Request and Response when imported).
await import("srvx");
await import("../servers/node-http.mjs");
