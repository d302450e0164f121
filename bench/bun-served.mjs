#!/usr/bin/env node
// The JavaScript time per request of Bun servers on real requests: what bench/bun-fetch.mjs measures,
// with Bun's own requests instead of `new Request()`s made in the script.
//
//   node bench/bun-served.mjs [--route /api/users/42] [--distinct] [--rounds 5] [--duration 3] [--only a,b] [--server name=/abs/server.mjs]…
//
// --distinct: every request's last path segment is a new number (/api/users/1, /api/users/2 …), for
// what a server pays for URLs it has not seen (caches keyed by URL miss every time).
//
// Why: a Request made with `new Request(url)` already holds its headers, URL string and method, where
// a request Bun's server hands over builds each from the wire when first read (its `headers`: ~0.8 µs
// with wrk's few headers, more with a browser's). bun-fetch.mjs cannot see those costs; this can.
// Each server script of bench/bun-servers/ (unchanged: PORT env, the two routes) runs under
// `bun --preload bench/lib/bun-time-fetch.mjs`, which times the `fetch` handed to Bun.serve() around
// each call, pinned to core 0, while `wrk -t1 -c50` on core 1 sends the route; after a warm-up the
// counters are reset, then read after `--duration` seconds. Servers are interleaved, a fresh process
// each round, the order rotating. Printed per server: the median over rounds of the median call
// (which the time a process loses to others mid-call hardly moves: the figure for A/B on a busy
// machine) and of the mean call (garbage collection included: the figure on a quiet machine), each
// with the median per-round ratio to the first server. Elysia is left out: its routes go to Bun's native `routes`, not to `fetch`.
// Only synchronous time is counted: servers that answer with a Promise are flagged.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import http from "node:http";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commaList, namedPaths, parseFlags, positiveInt } from "./lib/args.mjs";
import { BUN_SERVERS } from "./lib/servers.mjs";
import { root } from "./lib/setup.mjs";

// All of bench/lib/servers.mjs's Bun servers but Elysia (its routes go to Bun's native `routes`, not to `fetch`): name → script.
const SERVERS = Object.fromEntries(BUN_SERVERS.filter(({ name }) => name !== "elysia").map(({ name, path }) => [name, path]));

const { values } = parseFlags(
  {
    route: { type: "string", default: "/api/users/42" }, distinct: { type: "boolean", default: false },
    rounds: { type: "string", default: "5" }, duration: { type: "string", default: "3" }, warmup: { type: "string", default: "1" },
    only: { type: "string" }, server: { type: "string", multiple: true, default: [] },
  },
  [
    "usage: node bench/bun-served.mjs [--route /api/users/42] [--distinct] [--rounds N=5] [--duration S=3] [--warmup S=1] [--only a,b] [--server name=/abs/server.mjs]…",
    `  servers: ${Object.keys(SERVERS).join(", ")}`,
  ],
);
const opts = {
  route: values.route,
  distinct: values.distinct,
  rounds: positiveInt("--rounds", values.rounds),
  duration: positiveInt("--duration", values.duration),
  warmup: positiveInt("--warmup", values.warmup),
  only: commaList(values.only),
  extra: Object.fromEntries(namedPaths("--server", values.server, "path.mjs").map(({ name, path }) => [name, path])),
};
const bun = [join(root, "node_modules/bun/bin/bun.exe"), join(root, "node_modules/@oven/bun-linux-x64/bin/bun")].find(existsSync);
if (!bun) throw new Error("no bun binary in node_modules (npm ci installs the 'bun' devDependency)");
if (!existsSync(join(root, "dist/index.js"))) throw new Error("dist/ missing: npm run build");
for (const tool of ["taskset", "wrk"]) if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) throw new Error(`${tool} not found`);

const all = { ...SERVERS, ...opts.extra };
const names = opts.only ?? Object.keys(all);
for (const name of names) if (!all[name]) throw new Error(`unknown server ${name}`);
const preload = join(root, "bench/lib/bun-time-fetch.mjs");
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

function answers(port) {
  return new Promise((done) => {
    const req = http.get({ host: "127.0.0.1", port, path: opts.route, agent: false }, (res) => (res.resume(), done(res.statusCode === 200)));
    req.on("error", () => done(false));
  });
}

/** With --distinct: a wrk script that numbers the last path segment of each request. */
const wrkScript = opts.distinct ? join(mkdtempSync(join(tmpdir(), "bun-served-")), "distinct.lua") : undefined;
if (wrkScript) {
  const prefix = opts.route.slice(0, opts.route.lastIndexOf("/") + 1);
  writeFileSync(wrkScript, `local n = 0\nrequest = function()\n  n = n + 1\n  return wrk.format("GET", ${JSON.stringify(prefix)} .. n)\nend\n`);
}

function wrk(port, seconds) {
  const script = wrkScript ? ["-s", wrkScript] : [];
  spawnSync("taskset", ["-c", "1", "wrk", "-t1", "-c50", `-d${seconds}s`, ...script, `http://127.0.0.1:${port}${opts.route}`], { stdio: "ignore" });
}

/** One measurement: a fresh server, warmed up, then the mean synchronous ns of its fetch per request. */
async function measure(name, port) {
  const child = spawn("taskset", ["-c", "0", bun, "--preload", preload, all[name]], { env: { ...process.env, PORT: String(port), NODE_ENV: "production" }, stdio: ["ignore", "pipe", "inherit"] });
  const lines = [];
  let buffered = "";
  child.stdout.on("data", (data) => {
    buffered += data;
    for (let end = buffered.indexOf("\n"); end !== -1; end = buffered.indexOf("\n")) lines.push(buffered.slice(0, end)), (buffered = buffered.slice(end + 1));
  });
  const reading = async () => {
    const before = lines.length;
    child.kill("SIGUSR2");
    for (let i = 0; i < 200 && lines.length === before; i++) await sleep(10);
    return JSON.parse(lines.at(-1));
  };
  try {
    for (let i = 0; !(await answers(port)); i++) {
      if (i > 600 || child.exitCode !== null) throw new Error(`${name} did not answer ${opts.route}`);
      await sleep(25);
    }
    wrk(port, opts.warmup);
    await reading();
    wrk(port, opts.duration);
    return await reading();
  } finally {
    child.kill("SIGKILL");
  }
}

const times = Object.fromEntries(names.map((name) => [name, []]));
const means = Object.fromEntries(names.map((name) => [name, []]));
const flagged = new Set();
let port = 4100;
console.log(`bun-served: GET ${opts.route}${opts.distinct ? " (last segment distinct per request)" : ""}, ${opts.rounds} rounds × ${opts.duration} s per server (wrk -t1 -c50 on core 1, server on core 0)`);
for (let round = 0; round < opts.rounds; round++) {
  const order = names.map((_, i) => names[(i + round) % names.length]);
  const line = [];
  for (const name of order) {
    const { requests, ns, median, async } = await measure(name, port++);
    if (async > 0) flagged.add(name);
    times[name].push(median);
    means[name].push(ns);
    line.push(`${name} ${median.toFixed(0)}/${ns.toFixed(0)} ns (${requests})`);
  }
  console.log(`  round ${round + 1} (median/mean): ${line.join(", ")}`);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(`\n  ${"server".padEnd(22)} ${"median ns".padStart(9)}  × ${names[0]} (per round)${" ".repeat(18)} ${"mean ns".padStart(8)}  × ${names[0]}`);
for (const name of names) {
  const ratios = times[name].map((ns, i) => ns / times[names[0]][i]);
  const meanRatios = means[name].map((ns, i) => ns / means[names[0]][i]);
  const perRound = `[${ratios.map((r) => r.toFixed(2)).join(" ")}]`.padEnd(30);
  console.log(`  ${name.padEnd(22)} ${median(times[name]).toFixed(0).padStart(9)}  ${median(ratios).toFixed(2)} ${perRound} ${median(means[name]).toFixed(0).padStart(8)}  ${median(meanRatios).toFixed(2)}${flagged.has(name) ? "  (answers Promises: only their synchronous part is timed)" : ""}`);
}
