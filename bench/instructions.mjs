#!/usr/bin/env node
// Machine instructions per request of each server, counted by valgrind (callgrind), in process:
// the A/B measure for request-path changes on a shared or noisy machine.
//
//   node bench/instructions.mjs [--requests N=10000] [--route /api/hello]… [--only a,b] [--server name=path.mjs] [--jobs N=2]
//
// Why: CPU time per request moves by ±5–30% between processes on this VM whenever anything else
// runs (bench/README.md), so a change worth 3% cannot be seen by js-cost.mjs or wrk. callgrind
// counts the instructions the process executes, whatever else the machine does. With V8 made
// deterministic (`--single-threaded`: no background compilation or GC threads;
// `--predictable-gc-schedule`: heap growth no longer depends on measured speeds) the count of a
// build moves by about 1–2% from run to run, where CPU time moves by 5–30%.
//
// How: each server runs under callgrind in process (bench/lib/count-listener.mjs: the servers of
// bench/servers/ unchanged, the requests of js-cost.mjs), twice: 20,000 requests of warm-up, then
// `--requests` more in one run and three times as many in the other. The difference of the two
// runs' counts is that of the extra requests alone (start-up, warm-up and exit cancel out).
// Printed per route: instructions per request, the instructions above raw node:http's, and raw's
// count ÷ the server's. (Zeroing and dumping callgrind's counters around the requests instead,
// with callgrind_control, gave counts with a fixed offset: valgrind took the commands late.)
//
// What it does not see: time that is not instructions (cache misses, branch mispredictions,
// system calls, the kernel's network stack). Instruction counts rank JavaScript changes well;
// quote bench/http.mjs for targets. Needs valgrind (`apt-get install -y valgrind`); the two runs
// of 10,000 requests take about three minutes of CPU per server and route.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { commaList, namedPaths, parseFlags, positiveInt } from "./lib/args.mjs";
import { NODE_SERVER_NAMES, NODE_SERVERS, serverNamed } from "./lib/servers.mjs";
import { ensureBuild } from "./lib/setup.mjs";

const benchDir = dirname(fileURLToPath(import.meta.url));

const { values } = parseFlags(
  { requests: { type: "string", default: "10000" }, route: { type: "string", multiple: true, default: [] }, only: { type: "string" }, jobs: { type: "string", default: "2" }, server: { type: "string", multiple: true, default: [] } },
  [
    "usage: node bench/instructions.mjs [--requests N=10000] [--route /api/hello]… [--only a,b] [--server name=path.mjs] [--jobs N=2]",
    `  servers: ${NODE_SERVER_NAMES.join(", ")} (node-http is always counted: it is the baseline); routes: /api/hello (default), /api/users/42, /api/users/{n}`,
  ],
);
const opts = {
  requests: Number(values.requests),
  routes: values.route.length ? values.route : ["/api/hello"],
  only: commaList(values.only),
  extra: namedPaths("--server", values.server, "path.mjs").map(({ name, path }) => ({ name, file: path })),
  jobs: positiveInt("--jobs", values.jobs),
};
if (!Number.isInteger(opts.requests) || opts.requests < 1000) throw new Error("--requests expects an integer ≥ 1000");
if (spawnSync("valgrind", ["--version"]).status !== 0) {
  console.error("valgrind is not installed: apt-get install -y valgrind");
  process.exit(1);
}

ensureBuild(false);
const chosen = (opts.only ?? NODE_SERVER_NAMES).filter((name) => NODE_SERVER_NAMES.includes(name));
if (!chosen.includes("node-http")) chosen.unshift("node-http");
const servers = [...chosen.map((name) => ({ name, file: serverNamed(NODE_SERVERS, name).path })), ...opts.extra];

/** Instructions executed by the whole process of `file` serving 20,000 + `requests` requests of `route`. */
function total(file, route, requests) {
  const dir = mkdtempSync(join(tmpdir(), "nitrokit-callgrind-"));
  const args = [
    "--tool=callgrind",
    `--callgrind-out-file=${join(dir, "callgrind.out")}`,
    process.execPath,
    "--single-threaded",
    "--predictable-gc-schedule",
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

// Two runs per (server, route), `--requests` and three times as many requests after the warm-up,
// `--jobs` runs at a time (counts do not depend on what else runs): per request, the difference.
const work = servers.flatMap((server) => opts.routes.flatMap((route) => [1, 3].map((times) => ({ server, route, times }))));
const totals = new Map();
let finished = 0;
async function worker() {
  for (let item = work.shift(); item; item = work.shift()) {
    totals.set(`${item.server.name} ${item.route} ${item.times}`, await total(item.server.file, item.route, item.times * opts.requests));
    process.stderr.write(`${++finished}/${servers.length * opts.routes.length * 2} runs counted (${item.server.name} ${item.route} ×${item.times})\n`);
  }
}
await Promise.all(Array.from({ length: opts.jobs }, worker));
const results = new Map();
for (const server of servers) {
  for (const route of opts.routes) {
    const key = `${server.name} ${route}`;
    results.set(key, (totals.get(`${key} 3`) - totals.get(`${key} 1`)) / (2 * opts.requests));
  }
}

console.log(`\nInstructions per request (callgrind, in process: runs of ${opts.requests} and ${3 * opts.requests} requests after 20,000 of warm-up, the difference ÷ ${2 * opts.requests})`);
for (const route of opts.routes) {
  console.log(`\nGET ${route}`);
  const raw = results.get(`node-http ${route}`);
  for (const { name } of servers) {
    const mine = results.get(`${name} ${route}`);
    const above = mine - raw;
    console.log(`  ${name.padEnd(20)} ${Math.round(mine).toLocaleString("en-US").padStart(8)}   ${above >= 0 ? "+" : "−"}${Math.round(Math.abs(above)).toLocaleString("en-US").padStart(7)} above raw   × node:http ${(raw / mine).toFixed(2)}`);
  }
}
