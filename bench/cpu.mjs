#!/usr/bin/env node
// CPU time per request of each server, as a ratio to raw node:http measured in the same run.
//
//   node bench/cpu.mjs [--rounds N=3] [--duration S=3] [--only a,b] [--server name=path.mjs]
//
// Where bench/http.mjs measures throughput (wall-clock req/s, which needs a quiet machine),
// this one reads how much CPU the server process spent (utime + stime from /proc/<pid>/stat)
// for the requests wrk completed. A server that uses one core serves at most 1 / (CPU per
// request), so the ratio tracks the throughput ratio, and it stays readable while other work
// runs on the machine (less so when that work trashes the caches). Use it to compare variants
// during development; report bench/http.mjs figures from a quiet machine.
//
// Each round starts every server as a fresh process (order rotating), checks both routes,
// warms up 1 s, then runs `wrk -t1 -c50 -d<S>s` per route. Printed: the median over rounds of
// CPU µs per request (for orientation) and of the per-round speed ratio to node:http.
import { spawn, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { knownServers, namedPaths, parseFlags, positiveInt } from "./lib/args.mjs";
import { NODE_SERVER_NAMES, NODE_SERVERS, serverNamed } from "./lib/servers.mjs";
import { ensureBuild, pinTo } from "./lib/setup.mjs";

const ROUTES = [
  { path: "/api/hello", expect: '{"message":"Hello from Nitro!"}' },
  { path: "/api/users/42", expect: '{"userId":"42"}' },
];

function readOptions() {
  const { values } = parseFlags(
    { rounds: { type: "string", default: "3" }, duration: { type: "string", default: "3" }, only: { type: "string" }, server: { type: "string", multiple: true, default: [] } },
    "usage: node bench/cpu.mjs [--rounds N=3] [--duration S=3] [--only a,b] [--server name=path.mjs]",
  );
  return {
    rounds: positiveInt("--rounds", values.rounds),
    duration: positiveInt("--duration", values.duration),
    only: knownServers(values.only, NODE_SERVER_NAMES),
    extra: namedPaths("--server", values.server, "path.mjs").map(({ name, path }) => ({ name, file: path })),
  };
}

const opts = readOptions();
const chosen = opts.only ?? [...NODE_SERVER_NAMES];
if (!chosen.includes("node-http")) chosen.unshift("node-http");
const servers = [...chosen.map((name) => ({ name, file: serverNamed(NODE_SERVERS, name).path })), ...opts.extra];

/** CPU ticks (1/100 s) the process has used, user + system. */
function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

async function waitForAnswer(url) {
  for (let i = 0; i < 200; i++) {
    try {
      return await (await fetch(url)).text();
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  throw new Error(`no answer from ${url}`);
}

ensureBuild(false);
const pin = pinTo(0).length > 0;

const results = new Map(servers.map((s) => [s.name, ROUTES.map(() => [])]));
let port = 25100;
for (let round = 0; round < opts.rounds; round++) {
  const order = servers.slice(round % servers.length).concat(servers.slice(0, round % servers.length));
  for (const server of order) {
    const serverPort = port++;
    const command = pin ? ["taskset", ["-c", "0", process.execPath, server.file]] : [process.execPath, [server.file]];
    const child = spawn(command[0], command[1], { env: { ...process.env, PORT: String(serverPort) }, stdio: "ignore" });
    try {
      for (const [index, route] of ROUTES.entries()) {
        const url = `http://127.0.0.1:${serverPort}${route.path}`;
        const body = await waitForAnswer(url);
        if (body !== route.expect) throw new Error(`${server.name} ${route.path}: expected ${route.expect}, got ${body}`);
        const wrk = (seconds) => execFileSync(pin ? "taskset" : "wrk", [...(pin ? ["-c", "1", "wrk"] : []), "-t1", "-c50", `-d${seconds}s`, url], { encoding: "utf8" });
        wrk(1);
        const before = cpuTicks(child.pid);
        const out = wrk(opts.duration);
        const ticks = cpuTicks(child.pid) - before;
        const requests = Number(out.match(/(\d+) requests in/)[1]);
        if (/Non-2xx|Socket errors/.test(out)) throw new Error(`${server.name} ${route.path}: errors under load\n${out}`);
        results.get(server.name)[index].push((ticks * 10_000) / requests);
      }
    } finally {
      child.kill("SIGKILL");
    }
  }
}

const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`CPU per request, ${opts.rounds} rounds × ${opts.duration} s (speed = node:http's CPU per request ÷ the server's, per round)\n`);
for (const [index, route] of ROUTES.entries()) {
  console.log(`GET ${route.path}`);
  const base = results.get("node-http")[index];
  for (const server of servers) {
    const samples = results.get(server.name)[index];
    const ratios = samples.map((value, round) => base[round] / value);
    console.log(`  ${server.name.padEnd(18)} ${median(samples).toFixed(2).padStart(6)} µs   × node:http ${median(ratios).toFixed(2)}   (${ratios.map((r) => r.toFixed(2)).join(" ")})`);
  }
  console.log();
}
