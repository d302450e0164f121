// Child of bench/instructions.mjs, run under valgrind's callgrind: imports a bench server script
// (whose listen() binds nothing, see in-process-listen.mjs), warms it up with 20,000 requests,
// serves `count` more requests of one route and exits. The parent runs it twice with different
// counts: the difference of the two runs' instructions is that of the extra requests alone, in
// steady state (start-up, warm-up and exit cancel out). `{n}` in the route becomes the
// request's number (a new path on every request).
import { importServer, one } from "./listener-requests.mjs";

const [file, count, route] = process.argv.slice(2);
const server = await importServer(file);
let sequence = 0;
const next = route.includes("{n}") ? () => route.replace("{n}", String(++sequence)) : () => route;
// As in drive-listener.mjs: the event loop turns now and then, as a server's does between socket reads.
for (let i = 0; i < 20_000 + Number(count); i++) {
  await one(server, next());
  if (i % 1_000 === 999) await new Promise((resolve) => setImmediate(resolve));
}
process.exit(0);
