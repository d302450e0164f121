#!/usr/bin/env node
// JavaScript cost per request of each server, in process, without sockets: a development tool
// for changes too small for wall-clock benches to see on a shared machine.
//
//   node bench/js-cost.mjs [--rounds N=5] [--requests N=100000] [--only a,b] [--server name=path.mjs]
//
// Each server script of bench/servers/ runs unchanged in a child process with a preload
// (bench/lib/in-process-listen.mjs) that keeps `server.listen()` from binding a port. The child
// then hands the server's `request` listener real `http.IncomingMessage`/`http.ServerResponse`
// objects over a socket that discards what is written, as Node's HTTP parser would, one request
// after the other, and times them. So everything above the kernel is measured: the server's own
// code, Node's response writing, the microtasks and the garbage it leaves.
//
// Routes: /api/hello, /api/users/42, and /api/users/{n}, a new id on every request.
// Printed per route: the median over rounds of µs per request (orientation only), the
// **µs above raw node:http** in the same round (what the framework costs per request), and
// `× node:http` = raw's time ÷ the server's. Kernel and network time is left out, so this ratio
// is lower than bench/http.mjs's; compare variants with it, quote bench/http.mjs for targets.
// Each round runs every server in a fresh process, the order rotating.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { knownServers, namedPaths, parseFlags, positiveInt } from "./lib/args.mjs";
import { NODE_SERVER_NAMES, NODE_SERVERS, serverNamed } from "./lib/servers.mjs";
import { ensureBuild, pinTo } from "./lib/setup.mjs";

const benchDir = dirname(fileURLToPath(import.meta.url));
// `{n}`: a different id on every request (the request's number), as real traffic has: what a server
// caches per path (h3's route-rules memo keeps 1,024 paths) does not help there.
const ROUTES = ["/api/hello", "/api/users/42", "/api/users/{n}"];

const { values } = parseFlags(
  { rounds: { type: "string", default: "5" }, requests: { type: "string", default: "100000" }, only: { type: "string" }, server: { type: "string", multiple: true, default: [] } },
  "usage: node bench/js-cost.mjs [--rounds N=5] [--requests N=100000] [--only a,b] [--server name=path.mjs]",
);
const opts = {
  rounds: positiveInt("--rounds", values.rounds),
  requests: positiveInt("--requests", values.requests),
  only: knownServers(values.only, NODE_SERVER_NAMES),
  extra: namedPaths("--server", values.server, "path.mjs").map(({ name, path }) => ({ name, file: path })),
};

ensureBuild(false);
const chosen = opts.only ?? [...NODE_SERVER_NAMES];
if (!chosen.includes("node-http")) chosen.unshift("node-http");
const servers = [...chosen.map((name) => ({ name, file: serverNamed(NODE_SERVERS, name).path })), ...opts.extra];

const pin = pinTo(0);

/** µs per request for each route, from one fresh process running `file`. */
function measure(file) {
  const command = [...pin, process.execPath, "--import", join(benchDir, "lib", "in-process-listen.mjs"), join(benchDir, "lib", "drive-listener.mjs"), file, String(opts.requests), ...ROUTES];
  const out = execFileSync(command[0], command.slice(1), { encoding: "utf8", env: { ...process.env, PORT: "3000", NODE_ENV: "production" } });
  return JSON.parse(out.trim().split("\n").pop());
}

const results = new Map(servers.map((s) => [s.name, ROUTES.map(() => [])]));
for (let round = 0; round < opts.rounds; round++) {
  const order = servers.map((_, i) => servers[(i + round) % servers.length]);
  const times = new Map();
  for (const server of order) times.set(server.name, measure(server.file));
  const raw = times.get("node-http");
  for (const server of servers) {
    const mine = times.get(server.name);
    ROUTES.forEach((_, r) => results.get(server.name)[r].push({ us: mine[r], above: mine[r] - raw[r], ratio: raw[r] / mine[r] }));
  }
  process.stderr.write(`round ${round + 1}/${opts.rounds} done\n`);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

console.log(`\nJS cost per request, in process (no sockets), ${opts.rounds} rounds × ${opts.requests} requests per route`);
ROUTES.forEach((route, r) => {
  console.log(`\nGET ${route}`);
  for (const server of servers) {
    const rows = results.get(server.name)[r];
    const us = median(rows.map((x) => x.us));
    const above = median(rows.map((x) => x.above));
    const ratio = median(rows.map((x) => x.ratio));
    const spread = rows.map((x) => x.ratio.toFixed(2)).join(" ");
    console.log(`  ${server.name.padEnd(18)} ${us.toFixed(2).padStart(6)} µs   +${above.toFixed(2).padStart(5)} µs above raw   × node:http ${ratio.toFixed(2)}   (${spread})`);
  }
});
