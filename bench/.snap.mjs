const which = process.argv[2];
let url;
if (which === "h3") {
  const { H3, serve } = await import("h3");
  const app = new H3().get("/api/hello", () => ({ message: "Hello" }));
  const s = serve(app, { port: 0, hostname: "127.0.0.1", silent: true, gracefulShutdown: false }); await s.ready(); url = s.url;
} else {
  const { createNitroApp } = await import("../dist/index.js");
  const { defineHandler } = await import("../dist/h3.js");
  const { serve } = await import("../dist/adapters/node.js");
  const app = createNitroApp(); app.get("/api/hello", defineHandler(() => ({ message: "Hello" })));
  const s = serve(app, { port: 0, hostname: "127.0.0.1", silent: true }); await s.ready(); url = s.url;
}
const { request } = await import("node:http");
await new Promise((res) => request(new URL("/api/hello", url), (r) => { r.resume(); r.on("end", res); }).end());
const v8 = await import("node:v8");
v8.writeHeapSnapshot(`/tmp/pb/${which}.heapsnapshot`);
process.exit(0);
