// raw node:http (bench/servers/node-http.mjs) after Node has loaded undici, its fetch implementation:
// the first read of a fetch global (`Headers`, `Request`, `Response`) loads it, as srvx's Node build
// does when imported. What every srvx-based server (h3, nitrokit) and Hono's node-server pays first.
void globalThis.Headers;
await import("../servers/node-http.mjs");
