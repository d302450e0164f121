#!/usr/bin/env node
// Does handing the app's static routes to Bun's native `routes` table pay? (DESIGN.md §6)
//
//   node bench/bun-routes.mjs [--rounds N] [--duration S]
//
// Three servers on the real Bun (node_modules/bun), each a fresh process per round pinned
// with `taskset -c 0`, wrk pinned with `taskset -c 1 wrk -t1 -c50`, order rotating per round:
// a fetch-only Bun.serve (baseline), nitrokit/bun, and nitrokit/bun with nativeRoutes.
// Prints medians and the per-round ratios to the baseline measured in the same round.
import { spawn, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bun = [join(root, "node_modules/bun/bin/bun.exe"), join(root, "node_modules/@oven/bun-linux-x64/bin/bun")].find(existsSync);
if (!bun) throw new Error("no bun binary: npm ci installs it (devDependency 'bun')");
if (!existsSync(join(root, "dist/adapters/bun.js"))) execFileSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });

const args = Object.fromEntries(process.argv.slice(2).join(" ").split("--").filter(Boolean).map((a) => a.trim().split(/\s+/)));
const rounds = Number(args.rounds ?? 5);
const duration = Number(args.duration ?? 5);
const SERVERS = [
  { name: "bun-bare", file: "bun-bare.mjs", env: {} },
  { name: "nitrokit-bun", file: "nitrokit-bun.mjs", env: {} },
  { name: "nitrokit-bun+routes", file: "nitrokit-bun.mjs", env: { NATIVE_ROUTES: "1" } },
];
const ROUTES = ["/api/hello", "/api/users/42"];
const PORT = 3917;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function start(server) {
  const child = spawn("taskset", ["-c", "0", bun, join(root, "bench/bun-servers", server.file)], { env: { ...process.env, ...server.env, PORT: String(PORT) }, stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/api/hello`)).ok) return child;
    } catch {}
    await sleep(50);
  }
  child.kill("SIGKILL");
  throw new Error(`${server.name} did not start`);
}

function wrk(path, seconds) {
  const out = execFileSync("taskset", ["-c", "1", "wrk", "-t1", "-c50", `-d${seconds}s`, `http://127.0.0.1:${PORT}${path}`], { encoding: "utf8" });
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
}

const results = {}; // route → server → [req/s per round]
for (let round = 0; round < rounds; round++) {
  const order = SERVERS.map((_, i) => SERVERS[(i + round) % SERVERS.length]);
  for (const server of order) {
    const child = await start(server);
    for (const route of ROUTES) {
      wrk(route, 2);
      ((results[route] ??= {})[server.name] ??= [])[round] = wrk(route, duration);
    }
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
  }
  process.stderr.write(`round ${round + 1}/${rounds} done\n`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const route of ROUTES) {
  console.log(`\nGET ${route}`);
  const base = results[route]["bun-bare"];
  for (const server of SERVERS) {
    const runs = results[route][server.name];
    const ratios = runs.map((r, i) => r / base[i]);
    console.log(`  ${server.name.padEnd(22)} ${String(Math.round(median(runs))).padStart(7)} req/s  ×bare ${median(ratios).toFixed(2)}  [${ratios.map((r) => r.toFixed(2)).join(" ")}]`);
  }
  const fetchRuns = results[route]["nitrokit-bun"];
  const native = results[route]["nitrokit-bun+routes"].map((r, i) => r / fetchRuns[i]);
  console.log(`  nativeRoutes / fetch-only: median ${median(native).toFixed(3)}  [${native.map((r) => r.toFixed(3)).join(" ")}]`);
}
