// In-process cost of nitrokit/bun per request, on Bun, without sockets: A/B of builds on a shared machine.
//
//   taskset -c 0 node_modules/bun/bin/bun.exe bench/bun-fetch.mjs [dist-dir …] [--route /api/users/42] [--bare] [--requests N] [--rounds N]
//
// For each nitrokit build given (default: ./dist), builds the full-stack app of
// bench/bun-servers/nitrokit-full-bun.mjs (--bare: the bare one), calls serve() from that build's
// nitrokit/bun with Bun.serve() stubbed, and keeps the `fetch` it hands to Bun.serve. Then, round
// after round (builds interleaved), times N calls of that fetch with fresh Requests made beforehand,
// and prints the median ns per request and the median per-round ratio to the first build.
// What it leaves out: Bun's HTTP parsing and writing, identical for every build. Wall time of a
// single-threaded loop pinned to one core moves much less with the neighbours' load than wrk runs do.
// To compare two commits: build each (`npm run build`) and copy its dist/ aside (the copy needs a
// node_modules next to it, e.g. a symlink to this one, so its imports resolve).
import { resolve } from "node:path";
import { parseFlags, positiveInt } from "./lib/args.mjs";
import { createFullStackApp, importNitrokit } from "./lib/full-stack-app.mjs";

const { values, positionals } = parseFlags(
  { route: { type: "string", default: "/api/users/42" }, bare: { type: "boolean", default: false }, requests: { type: "string", default: "100000" }, rounds: { type: "string", default: "7" } },
  "usage: taskset -c 0 node_modules/bun/bin/bun.exe bench/bun-fetch.mjs [dist-dir …] [--route /api/users/42] [--bare] [--requests N=100000] [--rounds N=7]",
  { allowPositionals: true },
);
const opts = { dists: positionals.map((dist) => resolve(dist)), route: values.route, bare: values.bare, requests: positiveInt("--requests", values.requests), rounds: positiveInt("--rounds", values.rounds) };
if (!globalThis.Bun) throw new Error("run this with bun: node_modules/bun/bin/bun.exe bench/bun-fetch.mjs");
if (opts.dists.length === 0) opts.dists.push(resolve(import.meta.dir, "../dist"));

/** What serve() reads from Bun's server object. */
const stubServer = { requestIP: () => ({ address: "127.0.0.1", family: "IPv4", port: 40000 }), upgrade: () => false, stop() {}, port: 3000, hostname: "127.0.0.1", url: new URL("http://127.0.0.1:3000/") };

/** The two routes with nothing else on (`--bare`). */
function bareApp({ createNitroApp, defineHandler, getRouterParam }) {
  const app = createNitroApp();
  app.get("/api/hello", defineHandler(() => ({ message: "Hello from Nitro!" })));
  app.get("/api/users/:id", defineHandler((event) => ({ userId: getRouterParam(event, "id") })));
  return app;
}

/** The fetch one build's serve() hands to Bun.serve, for the bench app. */
async function fetchOf(dist) {
  const nitrokit = await importNitrokit(dist);
  const { serve } = await import(`${dist}/adapters/bun.js`);
  const app = opts.bare ? bareApp(nitrokit) : createFullStackApp(nitrokit);
  let fetch;
  const realServe = Bun.serve;
  Bun.serve = (options) => ((fetch = options.fetch), stubServer);
  try {
    await serve(app, { port: 3000, silent: true, gracefulShutdown: false }).ready();
  } finally {
    Bun.serve = realServe;
  }
  const check = await fetch(new Request(`http://127.0.0.1:3000${opts.route}`), stubServer);
  if (check.status !== 200) throw new Error(`${dist}: ${opts.route} answered ${check.status}`);
  return fetch;
}

const fetches = [];
for (const dist of opts.dists) fetches.push(await fetchOf(dist));
const times = opts.dists.map(() => []);
for (let round = 0; round <= opts.rounds; round++) {
  for (let k = 0; k < fetches.length; k++) {
    const fetch = fetches[(k + round) % fetches.length];
    const requests = Array.from({ length: opts.requests }, () => new Request(`http://127.0.0.1:3000${opts.route}`));
    const t0 = Bun.nanoseconds();
    for (const request of requests) {
      const response = fetch(request, stubServer);
      if (response.then) await response;
    }
    // Round 0 warms every build up (JIT tiers) and is not counted.
    if (round > 0) times[(k + round) % fetches.length].push((Bun.nanoseconds() - t0) / opts.requests);
    // A turn of the event loop, as a server has between requests: work an app starts off the request
    // path (the compiled route matcher of src/app/route-lookup.ts, made after 256 lookups) lands, so
    // the rounds time what a running server does. Without it the loop above never yields on
    // synchronous answers, and every round timed rou3's uncompiled lookup.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(`${opts.bare ? "bare" : "full-stack"} app, GET ${opts.route}, ${opts.requests} requests × ${opts.rounds} rounds`);
opts.dists.forEach((dist, k) => {
  const ratios = times[k].map((ns, i) => ns / times[0][i]);
  console.log(`  ${dist.padEnd(40)} ${median(times[k]).toFixed(0).padStart(7)} ns/req   × first ${median(ratios).toFixed(3)}  [${ratios.map((r) => r.toFixed(2)).join(" ")}]`);
});
