// Child of bench/js-cost.mjs: imports a bench server script (whose listen() binds nothing, see
// in-process-listen.mjs), then times its `request` listener over real IncomingMessage and
// ServerResponse objects on a socket that discards the bytes. Prints one JSON line: µs per
// request (CPU time) for each route given; `{n}` in a route becomes the request's number (a new
// path on every request).
import { importServer, one as serveOne } from "./listener-requests.mjs";

const [file, count, ...routes] = process.argv.slice(2);
const requests = Number(count);
const server = await importServer(file);
const one = (url) => serveOne(server, url);

// Timed in CPU time of this process (not wall time, which counts the moments the scheduler gave
// the core to another process), in batches of 5,000 requests; the median batch counts.
const BATCH = 5_000;
const result = [];
let sequence = 0;
for (const route of routes) {
  const distinct = route.includes("{n}");
  const next = distinct ? () => route.replace("{n}", String(++sequence)) : () => route;
  // A real server's event loop turns between requests (socket reads); this loop alone would run on
  // microtasks only, so it lets the loop turn now and then, for what a server does there (timers, imports).
  for (let i = 0; i < 20_000; i++) {
    await one(next());
    if (i % 1_000 === 999) await new Promise((resolve) => setImmediate(resolve));
  }
  const batches = [];
  for (let done = 0; done < requests; done += BATCH) {
    await new Promise((resolve) => setImmediate(resolve));
    const start = process.cpuUsage();
    for (let i = 0; i < BATCH; i++) await one(next());
    const used = process.cpuUsage(start);
    batches.push((used.user + used.system) / BATCH);
  }
  batches.sort((a, b) => a - b);
  result.push(batches[batches.length >> 1]);
}
console.log(JSON.stringify(result));
process.exit(0);
