// raw node:http after importing nitrokit's root and Node entries from the built package (dist/), as
// bench/servers/nitrokit-bare.mjs does before it creates its app.
await import("../../dist/index.js");
await import("../../dist/adapters/node.js");
await import("../servers/node-http.mjs");
