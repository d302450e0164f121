#!/usr/bin/env node
// Side-by-side HTTP benchmark: nitrokit vs raw node:http, h3, Hono and Fastify.
//
//   node bench/http.mjs [--rounds N] [--duration S] [--warmup S] [--only a,b] [--build]
//   node bench/http.mjs --compression [--rounds N] [--duration S] [--warmup S]
//   node bench/http.mjs --bun [--rounds N] [--duration S] [--warmup S] [--only a,b]
//
// Method (DESIGN.md §6): every server is a standalone script in bench/servers/, started as
// a fresh child process per round and pinned with `taskset -c 0`; wrk runs pinned with
// `taskset -c 1 wrk -t1 -c50 -d<S>s` after a warm-up, once per route. Servers are
// interleaved (the order rotates each round). The result is the median over rounds of
// each server's per-round ratio to raw node:http measured in the same round. Absolute
// req/s drift between runs and days; only ratios from one run mean anything.
//
// --bun: the same method on the real Bun (node_modules/bun) with bench/bun-servers/: the
// baseline is a fetch-only Bun.serve, the peers Elysia, Hono and h3.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import http from "node:http";
import os, { tmpdir } from "node:os";
import { commaList, namedPaths, nonNegativeInt, nonNegativeNumber, parseFlags, positiveInt } from "./lib/args.mjs";
import { BUN_SERVERS, BUN_SERVER_VARIANTS, NODE_SERVERS, NODE_SERVER_VARIANTS } from "./lib/servers.mjs";
import { ensureBuild, listFiles } from "./lib/setup.mjs";

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = join(benchDir, "..");

/**
 * What a run compares: the servers, the baseline every ratio divides by, and the peer
 * nitrokit's own rows are also divided by (h3 on Node, Elysia on Bun). Set by main().
 * The servers (bench/lib/servers.mjs): those the other benches compare, then the variants only
 * this one runs (on Node nitrokit-traced in the default set; the optional ones with --only).
 * The Bun track (--bun) is every script in bench/bun-servers/, run by the bun binary of node_modules.
 */
const NODE_TRACK = { servers: [...NODE_SERVERS, ...NODE_SERVER_VARIANTS], baseline: "node-http", baselineLabel: "node:http", peer: "h3", target: "nitrokit full stack ≥ 0.95× node:http on both routes, ahead of every peer" };
const BUN_TRACK = { servers: [...BUN_SERVERS, ...BUN_SERVER_VARIANTS], baseline: "bun-bare", baselineLabel: "Bun.serve", peer: "elysia", target: "nitrokit full stack ≥ 1.0× Bun.serve on both routes, level with Elysia (issue 16)" };
let track = NODE_TRACK;

const ROUTES = [
  { name: "GET /api/hello", path: "/api/hello", expect: { message: "Hello from Nitro!" } },
  { name: "GET /api/users/:id", path: "/api/users/42", expect: { userId: "42" } },
];

/**
 * With --distinct, a third route: /api/users/<n> with a new id on every request (a wrk script numbers
 * them), as real traffic has. What a server keeps per path it has seen cannot help there.
 */
function distinctUsersRoute() {
  const script = join(mkdtempSync(join(tmpdir(), "http-bench-")), "distinct.lua");
  writeFileSync(script, 'local n = 0\nrequest = function()\n  n = n + 1\n  return wrk.format("GET", "/api/users/" .. n)\nend\n');
  return { name: "GET /api/users/:id, a new id per request", path: "/api/users/{n}", probe: "/api/users/7", expect: { userId: "7" }, script };
}

// --- CLI ---------------------------------------------------------------------

function readOptions() {
  const { values } = parseFlags(
    {
      rounds: { type: "string", default: "3" }, duration: { type: "string", default: "5" }, warmup: { type: "string", default: "2" }, connections: { type: "string", default: "50" },
      only: { type: "string" }, server: { type: "string", multiple: true, default: [] },
      build: { type: "boolean", default: false }, compression: { type: "boolean", default: false }, bun: { type: "boolean", default: false }, distinct: { type: "boolean" },
      noise: { type: "string", default: "5" }, retries: { type: "string", default: "2" }, prewarm: { type: "string", default: "5" },
    },
    [
      "usage: node bench/http.mjs [--rounds N=3] [--duration S=5] [--warmup S=2] [--connections C=50] [--only name1,name2] [--build] [--noise PCT=5] [--retries N=2] [--prewarm S=5] [--server name=path.mjs]...",
      "  --distinct: also /api/users/<n> with a new id on every request (a wrk script), as real traffic has.",
      "  --bun: the Bun track: bench/bun-servers/ on node_modules' bun, ratios to a fetch-only Bun.serve.",
      "  --compression: instead of the server comparison, the cost of the compress and etag rules on a ~10 kB JSON route (nitrokit only).",
      "  --prewarm: throwaway load on the baseline before round 1 (the first measurement of a run came out low; 0 = off).",
      "  --server: benchmark an extra server script (same contract: PORT env, the two routes); repeatable.",
      "  --noise: a measurement during which other processes used more than PCT% of a core is repeated (up to --retries times) and flagged '~' if still noisy.",
      `servers: ${NODE_TRACK.servers.map((s) => s.name + (s.optional ? " (optional)" : "")).join(", ")}`,
      `servers with --bun: ${BUN_TRACK.servers.map((s) => s.name + (s.optional ? " (optional)" : "")).join(", ")}`,
    ],
  );
  return {
    rounds: positiveInt("--rounds", values.rounds),
    duration: positiveInt("--duration", values.duration),
    warmup: positiveInt("--warmup", values.warmup),
    connections: positiveInt("--connections", values.connections),
    only: commaList(values.only),
    build: values.build,
    noise: nonNegativeNumber("--noise", values.noise) / 100,
    retries: nonNegativeInt("--retries", values.retries),
    extra: namedPaths("--server", values.server, "path/to/server.mjs").map(({ name, path }) => ({ name, label: name, path })),
    prewarm: nonNegativeInt("--prewarm", values.prewarm),
    compression: values.compression,
    bun: values.bun,
    distinct: values.distinct,
  };
}

// --- environment ---------------------------------------------------------------

function ensureTools() {
  for (const tool of ["taskset", "wrk"]) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) {
      throw new Error(`${tool} not found. Install it (Debian: apt-get install -y ${tool === "wrk" ? "wrk" : "util-linux"}).`);
    }
  }
  if (os.availableParallelism?.() < 2 || os.cpus().length < 2) console.warn("warning: fewer than 2 CPUs; server and wrk share a core.");
}



function version(pkg) {
  // Packages with an `exports` map may not expose package.json: read it from node_modules.
  for (let dir = root; ; dir = dirname(dir)) {
    const file = join(dir, "node_modules", pkg, "package.json");
    if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")).version;
    if (dirname(dir) === dir) return "?";
  }
}

function wrkVersion() {
  const out = spawnSync("wrk", ["-v"], { encoding: "utf8" });
  return ((out.stdout || "") + (out.stderr || "")).split("\n")[0].trim();
}

// --- interference ----------------------------------------------------------------
// This machine has 2 cores, both taken by the server and wrk. Anything else that runs
// (a test suite, a type check) steals from them and skews a measurement. We cannot see
// that in per-CPU busy time (both cores are saturated anyway), so we sum the CPU time
// every other process used during the measurement, from /proc/<pid>/stat.

const CLK_TCK = 100;
const hasProc = existsSync("/proc/self/stat");

function cpuTicks() {
  const ticks = new Map();
  if (!hasProc) return ticks;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks.set(Number(pid), Number(fields[11]) + Number(fields[12])); // utime + stime
    } catch {
      // exited meanwhile
    }
  }
  return ticks;
}

/** CPU used by processes not in `exclude` between two snapshots, as a fraction of one core. */
function foreignLoad(before, after, exclude, seconds) {
  let used = 0;
  for (const [pid, t] of after) {
    if (exclude.has(pid)) continue;
    used += t - (before.get(pid) ?? 0);
  }
  return used / CLK_TCK / seconds;
}

/** `pid` and every process below it (a cluster's workers), from the parent pids in /proc. */
function processTree(pid) {
  const tree = new Set([pid]);
  if (!hasProc) return tree;
  const parents = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // exited meanwhile
    }
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const [child, parent] of parents) if (tree.has(parent) && !tree.has(child)) grew = tree.add(child) !== undefined;
  }
  return tree;
}

/** Processes and threads created since boot (`processes` in /proc/stat). */
function forkCount() {
  if (!hasProc) return 0;
  return Number(/^processes (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))?.[1] ?? 0);
}
// Starting wrk itself accounts for ~3 (spawn, taskset exec, wrk's thread). Short-lived
// processes that start and exit inside a measurement never show in the per-pid CPU sum,
// so a burst of forks is a second interference signal.
const OWN_FORKS = 6;

/** Waits (up to `maxSeconds`) until other processes use less than `limit` of a core. */
async function waitForQuiet(exclude, limit, maxSeconds) {
  if (!hasProc) return;
  const t0 = Date.now();
  let announced = false;
  while (true) {
    const before = cpuTicks();
    const forksBefore = forkCount();
    await sleep(1000);
    const load = foreignLoad(before, cpuTicks(), exclude, 1);
    if (load < limit && forkCount() - forksBefore <= 1) return;
    if ((Date.now() - t0) / 1000 > maxSeconds) {
      console.log(`    (machine still busy: other processes at ${(load * 100).toFixed(0)}% of a core; measuring anyway)`);
      return;
    }
    if (!announced) console.log(`    (other processes at ${(load * 100).toFixed(0)}% of a core: waiting for the machine to be quiet…)`);
    announced = true;
  }
}

// --- servers -------------------------------------------------------------------

// Below the kernel's ephemeral range (32768–60999 here): a port in it can be taken by a client
// socket (wrk's 50 connections, the previous round's) between two rounds, and the server then
// fails with EADDRINUSE (seen in round 5 of a 5-round run).
let nextPort = 20000 + Math.floor(Math.random() * 5000);

/**
 * The cores the cluster's 2 workers get (a server with `workers`, bench/lib/servers.mjs: nitrokit-cluster):
 * 0 and 2 when the machine has a third core (wrk keeps core 1 to itself), else 0 and 1, shared
 * with wrk on a 2-core machine. Every other server gets core 0.
 */
function clusterCores() {
  return (os.availableParallelism?.() ?? os.cpus().length) >= 3 ? "0,2" : "0,1";
}

/** The bun binary the npm package `bun` installs (its .bin shim may be a script). */
function bunBinary() {
  const found = [join(root, "node_modules/bun/bin/bun.exe"), join(root, "node_modules/@oven/bun-linux-x64/bin/bun")].find(existsSync);
  if (!found) throw new Error("--bun: no bun binary (npm ci installs it: devDependency 'bun')");
  return found;
}

async function startServer(server) {
  const port = nextPort++;
  const runtime = server.runtime === "bun" ? bunBinary() : process.execPath;
  const child = spawn("taskset", ["-c", server.workers ? clusterCores() : "0", runtime, server.path], {
    env: { ...process.env, ...server.env, PORT: String(port), NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  let dead = false;
  exited.then(() => (dead = true));
  const t0 = Date.now();
  while (true) {
    if (dead) throw new Error(`${server.name} exited before answering:\n${stderr}`);
    if (Date.now() - t0 > 15_000) {
      child.kill("SIGKILL");
      throw new Error(`${server.name} did not answer within 15 s:\n${stderr}`);
    }
    try {
      await get(port, ROUTES[0].path);
      break;
    } catch {
      await sleep(25);
    }
  }
  return {
    port,
    pid: child.pid,
    stderr: () => stderr,
    async stop() {
      if (!dead) child.kill("SIGKILL");
      await exited;
    },
  };
}

function get(port, path) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.setTimeout(2000, () => req.destroy(new Error("timeout")));
  });
}

async function checkResponses(server, port) {
  for (const route of ROUTES) {
    const res = await get(port, route.probe ?? route.path);
    const ok =
      res.status === 200 &&
      String(res.headers["content-type"]).startsWith("application/json") &&
      JSON.stringify(JSON.parse(res.body)) === JSON.stringify(route.expect);
    if (!ok) throw new Error(`${server.name} ${route.path}: unexpected response ${res.status} ${res.headers["content-type"]} ${res.body}`);
  }
}

// --- load ------------------------------------------------------------------------

function wrk(port, path, seconds, connections, serverPid, headers = [], script = undefined) {
  return new Promise((resolve, reject) => {
    const args = ["-c", "1", "wrk", "-t1", `-c${connections}`, `-d${seconds}s`, ...headers.flatMap((header) => ["-H", header]), ...(script ? ["-s", script] : []), `http://127.0.0.1:${port}${script ? "/" : path}`];
    const before = cpuTicks();
    const forksBefore = forkCount();
    const t0 = performance.now();
    const child = spawn("taskset", args, { stdio: ["ignore", "pipe", "pipe"] });
    // taskset execs wrk, so the child's pid is wrk's; snapshot just before it exits.
    // A cluster's workers are the server's children: their CPU is the server's, not interference.
    const exclude = new Set([process.pid, ...processTree(serverPid), child.pid]);
    let after;
    const timer = setTimeout(() => (after = cpuTicks()), Math.max(0, seconds * 1000 - 50));
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      const foreign = foreignLoad(before, after ?? cpuTicks(), exclude, (performance.now() - t0) / 1000);
      const forks = forkCount() - forksBefore;
      const rps = Number(/Requests\/sec:\s*([\d.]+)/.exec(out)?.[1]);
      // The server's CPU time per request (its whole process tree): it follows the neighbours' load much less than req/s.
      const end = after ?? cpuTicks();
      let serverTicks = 0;
      for (const pid of processTree(serverPid)) serverTicks += (end.get(pid) ?? 0) - (before.get(pid) ?? 0);
      const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
      const cpuMicros = hasProc && requests ? (serverTicks * (1e6 / CLK_TCK)) / requests : NaN;
      if (code !== 0 || !Number.isFinite(rps)) return reject(new Error(`wrk failed (${code}):\n${out}`));
      const non2xx = Number(/Non-2xx or 3xx responses:\s*(\d+)/.exec(out)?.[1] ?? 0);
      const socketErrors = /Socket errors:(.*)/.exec(out)?.[1]?.trim();
      resolve({ rps, non2xx, socketErrors, foreign, forks, cpuMicros });
    });
  });
}

// --- stats & output ----------------------------------------------------------------

function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

const fmtInt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "–");
const fmtRatio = (n) => (Number.isFinite(n) ? n.toFixed(2) : "–");
const fmtMicros = (n) => (Number.isFinite(n) ? n.toFixed(1) : "–");
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

function printTables(servers, results, rounds) {
  const baseline = servers.find((s) => s.name === track.baseline);
  const peer = servers.find((s) => s.name === track.peer);
  const versus = `× ${track.baselineLabel}`;
  for (const route of ROUTES) {
    console.log(`\n${route.name}`);
    console.log(`  ${pad("server", 22)}${lpad("median req/s", 14)}${lpad(versus, 13)}${lpad("CPU µs/req", 12)}   per-round ${versus}`);
    console.log(`  ${"-".repeat(22 + 14 + 13 + 12 + 3 + 24)}`);
    for (const server of servers) {
      const runs = results[server.name][route.name];
      const rps = median(runs.map((r) => r?.rps));
      let ratio = NaN;
      let perRound = [];
      if (baseline) {
        const base = results[baseline.name][route.name];
        perRound = runs.map((r, i) => (r && base[i] ? r.rps / base[i].rps : NaN));
        ratio = median(perRound);
      }
      let flags = runs.some((r) => r && (r.non2xx || r.socketErrors)) ? "  (!) non-2xx or socket errors" : "";
      const noisy = runs.filter((r) => r?.noisy).length;
      if (noisy) flags += `  ~ ${noisy} noisy run(s)`;
      console.log(
        `  ${pad(server.label, 22)}${lpad(fmtInt(rps), 14)}${lpad(fmtRatio(ratio), 13)}${lpad(fmtMicros(median(runs.map((r) => r?.cpuMicros))), 12)}   ${perRound.map(fmtRatio).join(" ")}${flags}`,
      );
    }
    if (results["nitrokit-cluster"] && results["nitrokit-bare"]) {
      // The cluster's gain: 2 workers on two cores over the same app in one process on one core.
      const ours = results["nitrokit-cluster"][route.name];
      const single = results["nitrokit-bare"][route.name];
      const perRound = ours.map((r, i) => (r && single[i] ? r.rps / single[i].rps : NaN));
      console.log(`  ${pad("cluster / bare", 22)}${lpad("", 14)}${lpad(fmtRatio(median(perRound)), 13)}   ${perRound.map(fmtRatio).join(" ")}`);
    }
    if (peer) {
      for (const name of servers.map((s) => s.name).filter((name) => name.startsWith("nitrokit-"))) {
        const ours = results[name][route.name];
        const theirs = results[peer.name][route.name];
        const perRound = ours.map((r, i) => (r && theirs[i] ? r.rps / theirs[i].rps : NaN));
        console.log(`  ${pad(`${name} / ${peer.name}`, 22)}${lpad("", 14)}${lpad(fmtRatio(median(perRound)), 13)}${lpad("", 12)}   ${perRound.map(fmtRatio).join(" ")}`);
      }
    }
  }
  console.log(`\n  ${versus} = median over ${rounds} round(s) of (server req/s ÷ ${track.baselineLabel} req/s in the same round).`);
  console.log("  CPU µs/req = the server's CPU time (utime + stime, /proc) during the run ÷ wrk's request count, median over rounds.");
  console.log("  ~ = other processes took CPU during that measurement even after retries: treat its ratio with suspicion.");
  console.log(`  Target: ${track.target}.`);
  if (results["nitrokit-full"]) {
    console.log("  * nitrokit full stack: runtimeConfig, plugin `request` hook, 1 global middleware, useRuntimeConfig() in handlers,");
    console.log("    getRouterParam(), 50 routeRules patterns that do not cover the measured routes and one that does (a headers rule on /api/**).");
  }
  if (results["nitrokit-cluster"]) {
    console.log(`  † nitrokit cluster: nitrokit bare with serve(app, { workers: 2 }), pinned to cores ${clusterCores()} (every other server: core 0);`);
    console.log(`    wrk on core 1${clusterCores() === "0,1" ? ", shared with a worker on this 2-core machine" : ""}. "cluster / bare" = its req/s ÷ nitrokit bare's (one process).`);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// --- main ------------------------------------------------------------------------------

async function main() {
  const opts = readOptions();
  if (opts.compression) return compressionMain(opts);
  if (opts.bun) track = BUN_TRACK;
  if (opts.distinct) ROUTES.push(distinctUsersRoute());
  const { baseline } = track;
  const extra = opts.extra.map((server) => ({ ...server, runtime: opts.bun ? "bun" : undefined }));
  const known = [...track.servers, ...extra];
  let servers = opts.only
    ? opts.only.map((name) => known.find((s) => s.name === name) ?? fail(`Unknown server '${name}'. Known: ${known.map((s) => s.name).join(", ")}`))
    : [...track.servers.filter((s) => !s.optional), ...extra];
  if (!servers.some((s) => s.name === baseline)) {
    servers = [track.servers.find((s) => s.name === baseline), ...servers];
    console.log(`(${baseline} added: it is the baseline of every ratio)`);
  }

  ensureTools();
  ensureBuild(opts.build);
  const distAtStart = distStamp();

  console.log(`command: ${[process.argv0, ...process.argv.slice(1).map((a) => relative(process.cwd(), a) || a)].join(" ")}`);
  if (opts.bun) {
    const bunVersion = spawnSync(bunBinary(), ["--version"], { encoding: "utf8" }).stdout.trim();
    console.log(`versions: bun ${bunVersion}, elysia ${version("elysia")}, hono ${version("hono")}, h3 ${version("h3")}, srvx ${version("srvx")}, nitrokit ${JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version} (dist/), ${wrkVersion()}`);
  } else console.log(
    `versions: node ${process.version}, h3 ${version("h3")}, srvx ${version("srvx")}, hono ${version("hono")}, ` +
      `@hono/node-server ${version("@hono/node-server")}, fastify ${version("fastify")}, nitrokit ${JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version} (dist/), ${wrkVersion()}`,
  );
  console.log(`machine: ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}, ${os.platform()} ${os.release()}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(
    `method: ${opts.rounds} round(s), servers interleaved (order rotated per round), fresh process per round pinned with taskset -c 0; ` +
      `per route: ${opts.warmup}s warm-up then taskset -c 1 wrk -t1 -c${opts.connections} -d${opts.duration}s`,
  );
  const perServer = ROUTES.length * (opts.warmup + opts.duration + 1) + 1;
  console.log(`estimated time: ~${Math.ceil((perServer * servers.length * opts.rounds + opts.prewarm) / 60)} min\n`);

  if (opts.prewarm > 0) {
    // The very first measurement of a run came out 10–25% low on these VMs (the baseline,
    // first in round 1, skewing every round-1 ratio up): load the machine once, discard it.
    const running = await startServer(track.servers.find((s) => s.name === baseline));
    try {
      await wrk(running.port, ROUTES[0].path, opts.prewarm, opts.connections, running.pid);
    } finally {
      await running.stop();
    }
    console.log(`(pre-warm: ${opts.prewarm}s of throwaway load on ${baseline}, discarded)`);
  }

  const results = Object.fromEntries(servers.map((s) => [s.name, Object.fromEntries(ROUTES.map((r) => [r.name, []]))]));

  for (let round = 0; round < opts.rounds; round++) {
    const order = servers.map((_, i) => servers[(i + round) % servers.length]);
    console.log(`round ${round + 1}/${opts.rounds}: ${order.map((s) => s.name).join(" → ")}`);
    for (const server of order) {
      const running = await startServer(server);
      try {
        await checkResponses(server, running.port);
        const line = [];
        const exclude = new Set([process.pid, ...processTree(running.pid)]);
        for (const route of ROUTES) {
          let run;
          for (let attempt = 0; attempt <= opts.retries; attempt++) {
            await waitForQuiet(exclude, opts.noise, 60);
            await wrk(running.port, route.path, opts.warmup, opts.connections, running.pid, [], route.script);
            run = await wrk(running.port, route.path, opts.duration, opts.connections, running.pid, [], route.script);
            run.noisy = run.foreign > opts.noise || run.forks > OWN_FORKS;
            if (!run.noisy) break;
            const why = run.foreign > opts.noise ? `other processes used ${(run.foreign * 100).toFixed(0)}% of a core` : `${run.forks} processes/threads were started`;
            console.log(`    (${server.name} ${route.path}: ${why} during the run${attempt < opts.retries ? "; repeating" : "; keeping it, flagged ~"})`);
          }
          results[server.name][route.name][round] = run;
          line.push(
            `${route.path} ${fmtInt(run.rps)}${run.noisy ? "~" : ""}${run.non2xx || run.socketErrors ? ` (non-2xx ${run.non2xx}; socket errors ${run.socketErrors ?? 0})` : ""}`,
          );
        }
        console.log(`  ${pad(server.name, 15)} ${line.join("   ")}`);
      } finally {
        await running.stop();
      }
      await sleep(300);
    }
  }

  printTables(servers, results, opts.rounds);
  if (distStamp() !== distAtStart) console.log("\n  warning: dist/ was rebuilt during the run: nitrokit rounds may have measured different builds.");
}

// --- --compression: the cost of the compress and etag rules ------------------------------

const COMPRESSION_RUNS = [
  { name: "no rule (identity)", path: "/api/items", headers: [] },
  { name: "compress, no Accept-Encoding", path: "/z/api/items", headers: [] },
  { name: "compress, gzip", path: "/z/api/items", headers: ["Accept-Encoding: gzip"] },
  { name: "compress, br", path: "/z/api/items", headers: ["Accept-Encoding: br"] },
  { name: "etag (200, tag computed)", path: "/e/api/items", headers: [] },
];

/**
 * One server (bench/servers/nitrokit-compress.mjs), fresh per round; each variant measured after
 * a warm-up, in the same round as the identity route its ratio divides by.
 */
async function compressionMain(opts) {
  ensureTools();
  ensureBuild(opts.build);
  const server = { name: "nitrokit-compress", label: "nitrokit compress", path: join(benchDir, "servers", "nitrokit-compress.mjs") };
  console.log(`versions: node ${process.version}, nitrokit (dist/), ${wrkVersion()}`);
  console.log(`method: ${opts.rounds} round(s), fresh server per round pinned with taskset -c 0; per variant ${opts.warmup}s warm-up then taskset -c 1 wrk -t1 -c${opts.connections} -d${opts.duration}s\n`);
  const results = Object.fromEntries(COMPRESSION_RUNS.map((run) => [run.name, []]));
  const sizes = {};
  for (let round = 0; round < opts.rounds; round++) {
    const running = await startServer(server);
    try {
      const exclude = new Set([process.pid, running.pid]);
      for (const variant of COMPRESSION_RUNS) {
        if (round === 0) sizes[variant.name] = await responseSize(running.port, variant);
        await waitForQuiet(exclude, opts.noise, 60);
        await wrk(running.port, variant.path, opts.warmup, opts.connections, running.pid, variant.headers);
        const run = await wrk(running.port, variant.path, opts.duration, opts.connections, running.pid, variant.headers);
        results[variant.name][round] = run;
        console.log(`  round ${round + 1}: ${pad(variant.name, 30)} ${lpad(fmtInt(run.rps), 10)} req/s${run.non2xx ? ` (non-2xx ${run.non2xx})` : ""}`);
      }
    } finally {
      await running.stop();
    }
  }
  const identity = results[COMPRESSION_RUNS[0].name];
  console.log(`\n  ${pad("variant", 32)}${lpad("bytes", 8)}${lpad("median req/s", 14)}${lpad("× identity", 12)}`);
  for (const variant of COMPRESSION_RUNS) {
    const runs = results[variant.name];
    const ratio = median(runs.map((run, i) => (run && identity[i] ? run.rps / identity[i].rps : NaN)));
    console.log(`  ${pad(variant.name, 32)}${lpad(sizes[variant.name], 8)}${lpad(fmtInt(median(runs.map((r) => r?.rps))), 14)}${lpad(fmtRatio(ratio), 12)}`);
  }
  console.log("\n  × identity = median over rounds of (variant req/s ÷ the uncompressed route's req/s in the same round).");
}

/** Bytes on the wire for one request of `variant` (the body as sent, compressed or not). */
function responseSize(port, variant) {
  return new Promise((resolve, reject) => {
    const headers = Object.fromEntries(variant.headers.map((header) => header.split(/:\s*/)));
    http.get({ host: "127.0.0.1", port, path: variant.path, headers }, (res) => {
      let size = 0;
      res.on("data", (chunk) => (size += chunk.length));
      res.on("end", () => resolve(size));
    }).on("error", reject);
  });
}

function distStamp() {
  const dist = join(root, "dist");
  if (!existsSync(dist)) return "missing";
  return listFiles(dist)
    .filter((f) => f.endsWith(".js"))
    .map((f) => `${relative(dist, f)}@${statSync(f).mtimeMs}`)
    .sort()
    .join("|");
}

function fail(message) {
  throw new Error(message);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
