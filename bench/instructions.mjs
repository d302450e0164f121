#!/usr/bin/env node
// Machine instructions per request of each server, counted by valgrind (callgrind), in process:
// the A/B measure for request-path changes on a shared or noisy machine.
//
//   node bench/instructions.mjs [--requests N=10000] [--repeat N=2] [--route /api/hello]… [--only a,b] [--server name=path.mjs] [--jobs N=2]
//
// Why: CPU time per request moves by ±5–30% between processes on this VM whenever anything else
// runs (bench/README.md), so a change worth 3% cannot be seen by js-cost.mjs or wrk. callgrind
// counts the instructions the process executes, whatever else the machine does. With V8 made
// deterministic (`--single-threaded`: no background compilation or GC threads; fixed hash and random seeds;
// `--predictable-gc-schedule`: heap growth no longer depends on measured speeds) the count of a
// build moves by about 1–2% from run to run, where CPU time moves by 5–30%.
//
// How: each server runs under callgrind in process (bench/lib/count-listener.mjs: the servers of
// bench/servers/ unchanged, the requests of js-cost.mjs), in pairs of runs: 20,000 requests of
// warm-up, then `--requests` more in one run and three times as many in the other. The difference
// of the two runs' counts is that of the extra requests alone (start-up, warm-up and exit cancel
// out). (Zeroing and dumping callgrind's counters around the requests instead, with
// callgrind_control, gave counts with a fixed offset: valgrind took the commands late.)
// Every server × route pair is run `--repeat` times (2 by default): a single pair now and then
// comes out far off (one server counted 34,200 instructions per request in one invocation and
// 26,486 in the next), which would mislead an A/B comparison. Printed per route and server: the
// median of the pairs' instructions per request, the instructions above raw node:http's and raw's
// count ÷ the server's (both from the medians), and the spread of the pairs, (max − min) ÷ median;
// a row whose spread is above 3% is marked noisy (count it again with a higher --repeat).
//
// What it does not see: time that is not instructions (cache misses, branch mispredictions,
// system calls, the kernel's network stack). Instruction counts rank JavaScript changes well;
// quote bench/http.mjs for targets. Needs valgrind (`apt-get install -y valgrind`); one pair of
// runs of 10,000 requests takes about three minutes of CPU, so with the default --repeat 2 about
// six minutes per server and route (node-http, the baseline, always included), `--jobs` at a time.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { knownServers, namedPaths, parseFlags, positiveInt } from "./lib/args.mjs";
import { V8_DETERMINISTIC } from "./lib/callgrind.mjs";
import { NODE_SERVER_NAMES, NODE_SERVERS, serverNamed } from "./lib/servers.mjs";
import { ensureBuild } from "./lib/setup.mjs";
import { median } from "./lib/start-up.mjs";

const benchDir = dirname(fileURLToPath(import.meta.url));
/** A row whose pairs of runs differ by more than this (÷ their median) is marked noisy. */
const NOISY_SPREAD = 0.03;

const { values } = parseFlags(
  {
    requests: { type: "string", default: "10000" }, repeat: { type: "string", default: "2" }, route: { type: "string", multiple: true, default: [] },
    only: { type: "string" }, jobs: { type: "string", default: "2" }, server: { type: "string", multiple: true, default: [] },
  },
  [
    "usage: node bench/instructions.mjs [--requests N=10000] [--repeat N=2] [--route /api/hello]… [--only a,b] [--server name=path.mjs] [--jobs N=2]",
    `  servers: ${NODE_SERVER_NAMES.join(", ")} (node-http is always counted: it is the baseline); routes: /api/hello (default), /api/users/42, /api/users/{n}`,
    "  --repeat: pairs of runs per server and route; the median is printed, with the pairs' spread (above 3%: noisy).",
  ],
);
const opts = {
  requests: Number(values.requests),
  repeat: positiveInt("--repeat", values.repeat),
  routes: values.route.length ? values.route : ["/api/hello"],
  only: knownServers(values.only, NODE_SERVER_NAMES),
  extra: namedPaths("--server", values.server, "path.mjs").map(({ name, path }) => ({ name, file: path })),
  jobs: positiveInt("--jobs", values.jobs),
};
if (!Number.isInteger(opts.requests) || opts.requests < 1000) throw new Error("--requests expects an integer ≥ 1000");
if (spawnSync("valgrind", ["--version"]).status !== 0) {
  console.error("valgrind is not installed: apt-get install -y valgrind");
  process.exit(1);
}

ensureBuild(false);
const chosen = opts.only ?? [...NODE_SERVER_NAMES];
if (!chosen.includes("node-http")) chosen.unshift("node-http");
const servers = [...chosen.map((name) => ({ name, file: serverNamed(NODE_SERVERS, name).path })), ...opts.extra];

/** Instructions executed by the whole process of `file` serving 20,000 + `requests` requests of `route`. */
function total(file, route, requests) {
  const dir = mkdtempSync(join(tmpdir(), "nitrokit-callgrind-"));
  const args = [
    "--tool=callgrind",
    `--callgrind-out-file=${join(dir, "callgrind.out")}`,
    process.execPath,
    // V8 made deterministic (bench/lib/callgrind.mjs): fixed hash and random seeds besides one thread and a
    // predictable GC schedule, as the start-up counts have them.
    ...V8_DETERMINISTIC,
    "--import",
    join(benchDir, "lib", "in-process-listen.mjs"),
    join(benchDir, "lib", "count-listener.mjs"),
    file,
    String(requests),
    route,
  ];
  return new Promise((done, fail) => {
    const child = spawn("valgrind", args, { env: { ...process.env, PORT: "3000", NODE_ENV: "production" }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("exit", (code) => {
      try {
        if (code !== 0) throw new Error(`${file} ${route} exited with ${code}:\n${stderr.slice(-2000)}`);
        const totals = readFileSync(join(dir, "callgrind.out"), "utf8").match(/^(?:summary|totals): (\d+)/m);
        if (!totals) throw new Error(`no totals in the callgrind output of ${file} ${route}`);
        done(Number(totals[1]));
      } catch (error) {
        fail(error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

// `--repeat` pairs of runs per (server, route), each pair `--requests` and three times as many
// requests after the warm-up, `--jobs` runs at a time (counts do not depend on what else runs):
// per request, the difference of a pair.
const work = [];
for (let pair = 1; pair <= opts.repeat; pair++) {
  for (const server of servers) for (const route of opts.routes) for (const times of [1, 3]) work.push({ server, route, pair, times });
}
const runs = work.length;
const totals = new Map();
let finished = 0;
async function worker() {
  for (let item = work.shift(); item; item = work.shift()) {
    totals.set(`${item.server.name} ${item.route} ${item.pair} ${item.times}`, await total(item.server.file, item.route, item.times * opts.requests));
    process.stderr.write(`${++finished}/${runs} runs counted (${item.server.name} ${item.route} ×${item.times}, pair ${item.pair}/${opts.repeat})\n`);
  }
}
await Promise.all(Array.from({ length: opts.jobs }, worker));
/** `${server} ${route}` → { pairs: each pair's count per request, perRequest: their median, spread: (max − min) ÷ median }. */
const results = new Map();
for (const server of servers) {
  for (const route of opts.routes) {
    const key = `${server.name} ${route}`;
    const pairs = Array.from({ length: opts.repeat }, (_, i) => (totals.get(`${key} ${i + 1} 3`) - totals.get(`${key} ${i + 1} 1`)) / (2 * opts.requests));
    const perRequest = median(pairs);
    results.set(key, { pairs, perRequest, spread: (Math.max(...pairs) - Math.min(...pairs)) / perRequest });
  }
}

const count = (n) => Math.round(n).toLocaleString("en-US");
const pairsText = opts.repeat === 1 ? "one pair of runs" : `the median of ${opts.repeat} pairs of runs`;
console.log(`\nInstructions per request (callgrind, in process: ${pairsText} of ${opts.requests} and ${3 * opts.requests} requests after 20,000 of warm-up, the difference ÷ ${2 * opts.requests})`);
for (const route of opts.routes) {
  console.log(`\nGET ${route}`);
  const raw = results.get(`node-http ${route}`).perRequest;
  for (const { name } of servers) {
    const { pairs, perRequest: mine, spread } = results.get(`${name} ${route}`);
    const above = mine - raw;
    const spreadText = opts.repeat === 1 ? "    –" : `${(spread * 100).toFixed(1).padStart(4)}%`;
    const flag = spread > NOISY_SPREAD ? `   noisy (pairs ${pairs.map(count).join(" · ")}): count again with a higher --repeat` : "";
    console.log(`  ${name.padEnd(20)} ${count(mine).padStart(8)}   ${above >= 0 ? "+" : "−"}${count(Math.abs(above)).padStart(7)} above raw   × node:http ${(raw / mine).toFixed(2)}   spread ${spreadText}${flag}`);
  }
}
if (opts.repeat > 1) console.log(`\nspread: (max − min) ÷ median of the ${opts.repeat} pairs' counts per request; above ${NOISY_SPREAD * 100}% the median may be off too.`);
