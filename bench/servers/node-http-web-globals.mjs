// A start-up reference, not a server to compare: raw node:http (node-http.mjs, unchanged) in a
// process that has also loaded Node's web globals (`Request`, `Response`, `Headers`).
//
// On Node 20 those globals are undici, loaded and compiled on first touch: ~225M instructions and
// ~11 MiB of RSS (bench/README.md), a third of raw node:http's whole start. Every server whose API
// is web Requests pays it, and h3 loads it on import (srvx, which h3 imports, reads the three
// globals at the top of its modules), so no server on h3 (nitrokit included) starts below this row.
void globalThis.Response;
await import("./node-http.mjs");
