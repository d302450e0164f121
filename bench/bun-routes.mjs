#!/usr/bin/env node
// Does handing the app's static routes to Bun's native `routes` table pay? (DESIGN.md §6)
//
//   node bench/bun-routes.mjs [--rounds N] [--duration S]
//
// Four servers on the real Bun (node_modules/bun), each a fresh process per round pinned
// with `taskset -c 0`, wrk pinned with `taskset -c 1 wrk -t1 -c50`, order rotating per round:
// a fetch-only Bun.serve (baseline), h3 on Bun (reference), nitrokit/bun, and nitrokit/bun with nativeRoutes.
// Prints medians and the per-round ratios to the baseline measured in the same round, and the
// server's CPU time per request (from /proc): on a machine shared with other work, throughput
// swings with the neighbours' load while CPU per request stays comparable.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseFlags, positiveInt } from "./lib/args.mjs";
import { BUN_SERVERS, serverNamed } from "./lib/servers.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseFlags({ rounds: { type: "string", default: "5" }, duration: { type: "string", default: "5" } }, "usage: node bench/bun-routes.mjs [--rounds N=5] [--duration S=5]");
const rounds = positiveInt("--rounds", values.rounds);
const duration = positiveInt("--duration", values.duration);
const bun = [join(root, "node_modules/bun/bin/bun.exe"), join(root, "node_modules/@oven/bun-linux-x64/bin/bun")].find(existsSync);
if (!bun) throw new Error("no bun binary: npm ci installs it (devDependency 'bun')");
if (!existsSync(join(root, "dist/adapters/bun.js"))) execFileSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });

// Three of bench/lib/servers.mjs's Bun servers; nitrokit bare twice, as nitrokit-bun (fetch only) and nitrokit-bun+routes.
const nitrokitBare = serverNamed(BUN_SERVERS, "nitrokit-bare");
const SERVERS = [
  serverNamed(BUN_SERVERS, "bun-bare"),
  serverNamed(BUN_SERVERS, "h3"),
  { ...nitrokitBare, name: "nitrokit-bun", env: { NATIVE_ROUTES: "0" } },
  { ...nitrokitBare, name: "nitrokit-bun+routes", env: { NATIVE_ROUTES: "1" } },
];
const ROUTES = ["/api/hello", "/api/users/42"];
const PORT = 3917;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function start(server) {
  const child = spawn("taskset", ["-c", "0", bun, server.path], { env: { ...process.env, ...server.env, PORT: String(PORT) }, stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/api/hello`)).ok) return child;
    } catch {}
    await sleep(50);
  }
  child.kill("SIGKILL");
  throw new Error(`${server.name} did not start`);
}

/** utime + stime of a process, in clock ticks (100 per second here). */
function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

function wrk(path, seconds, pid) {
  const before = cpuTicks(pid);
  const out = execFileSync("taskset", ["-c", "1", "wrk", "-t1", "-c50", `-d${seconds}s`, `http://127.0.0.1:${PORT}${path}`], { encoding: "utf8" });
  const requests = Number(/(\d+) requests in/.exec(out)[1]);
  const cpuMicros = ((cpuTicks(pid) - before) * 10_000) / requests;
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]), cpuMicros };
}

const results = {}; // route → server → [req/s per round]
for (let round = 0; round < rounds; round++) {
  const order = SERVERS.map((_, i) => SERVERS[(i + round) % SERVERS.length]);
  for (const server of order) {
    const child = await start(server);
    for (const route of ROUTES) {
      wrk(route, 2, child.pid);
      ((results[route] ??= {})[server.name] ??= [])[round] = wrk(route, duration, child.pid);
    }
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
  }
  process.stderr.write(`round ${round + 1}/${rounds} done\n`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs, digits) => `[${xs.map((x) => x.toFixed(digits)).join(" ")}]`;
for (const route of ROUTES) {
  console.log(`\nGET ${route}`);
  const base = results[route]["bun-bare"];
  for (const server of SERVERS) {
    const runs = results[route][server.name];
    const ratios = runs.map((r, i) => r.rps / base[i].rps);
    const cpu = runs.map((r) => r.cpuMicros);
    console.log(`  ${server.name.padEnd(22)} ${String(Math.round(median(runs.map((r) => r.rps)))).padStart(7)} req/s  ×bare ${median(ratios).toFixed(2)} ${fmt(ratios, 2)}  cpu ${median(cpu).toFixed(1)} µs/req ${fmt(cpu, 1)}`);
  }
  const fetchRuns = results[route]["nitrokit-bun"];
  const nativeRuns = results[route]["nitrokit-bun+routes"];
  const rps = nativeRuns.map((r, i) => r.rps / fetchRuns[i].rps);
  const cpu = nativeRuns.map((r, i) => r.cpuMicros / fetchRuns[i].cpuMicros);
  console.log(`  nativeRoutes / fetch-only: req/s ×${median(rps).toFixed(3)} ${fmt(rps, 3)}, cpu per request ×${median(cpu).toFixed(3)} ${fmt(cpu, 3)}`);
}
