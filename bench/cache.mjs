#!/usr/bin/env node
// Cache benchmarks, printed as ratios measured in one run (absolute numbers move ±30% here):
//  1. throughput of a cache-hit route vs the same trivial route uncached, same server process,
//     interleaved over rounds (wrk pinned to core 1, server to core 0, fresh process per round);
//  2. upstream calls made by a cached function under 1,000 concurrent misses of one key
//     (a real loopback upstream; target: 1).
// Usage: node bench/cache.mjs [--rounds N] [--duration S]
import { spawn, execFileSync } from "node:child_process";
import http from "node:http";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseFlags, positiveInt } from "./lib/args.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseFlags({ rounds: { type: "string", default: "3" }, duration: { type: "string", default: "5" } }, "usage: node bench/cache.mjs [--rounds N=3] [--duration S=5]");
const rounds = positiveInt("--rounds", values.rounds);
const duration = positiveInt("--duration", values.duration);

if (!existsSync(`${root}dist/cache/index.js`)) execFileSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
try {
  execFileSync("wrk", ["--version"], { stdio: "ignore" });
} catch (error) {
  if (error.code === "ENOENT") {
    console.error("wrk is missing: apt-get install -y wrk");
    process.exit(1);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function waitUntilUp(url) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await sleep(50);
  }
  throw new Error(`server did not come up: ${url}`);
}

function wrk(url, seconds) {
  const out = execFileSync("taskset", ["-c", "1", "wrk", "-t1", "-c50", `-d${seconds}s`, url], { encoding: "utf8" });
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
}

async function throughput() {
  const perRound = [];
  for (let round = 0; round < rounds; round++) {
    const port = 40100 + round;
    const server = spawn("taskset", ["-c", "0", process.execPath, `${root}bench/servers/nitrokit-cache.mjs`], { env: { ...process.env, PORT: String(port) }, stdio: "inherit" });
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitUntilUp(`${base}/cached`);
      const order = round % 2 ? ["cached", "uncached"] : ["uncached", "cached"];
      const result = {};
      for (const route of order) {
        wrk(`${base}/${route}`, 2); // warm-up
        result[route] = wrk(`${base}/${route}`, duration);
      }
      perRound.push(result);
      console.log(`  round ${round + 1}: uncached ${result.uncached.toFixed(0)} req/s, cached hit ${result.cached.toFixed(0)} req/s, ratio ${(result.cached / result.uncached).toFixed(3)}`);
    } finally {
      server.kill("SIGTERM");
      await new Promise((r) => server.once("exit", r));
    }
  }
  return median(perRound.map((r) => r.cached / r.uncached));
}

async function stampede() {
  const { createNitroApp } = await import(`${root}dist/index.js`);
  const { defineHandler } = await import(`${root}dist/h3.js`);
  const { defineCachedFunction } = await import(`${root}dist/cache/index.js`);
  let upstreamCalls = 0;
  const upstream = http.createServer((_req, res) => {
    upstreamCalls++;
    setTimeout(() => res.end(JSON.stringify({ stars: 42 })), 200);
  });
  await new Promise((r) => upstream.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${upstream.address().port}/repos/nitrojs/nitro`;
  const getStars = defineCachedFunction(async () => (await fetch(url)).json(), { name: "stampede", maxAge: 60 });
  const app = createNitroApp({ storage: { data: { driver: "memory" } } });
  app.get("/stars", defineHandler(() => getStars()));
  await app.ready();
  const responses = await Promise.all(Array.from({ length: 1000 }, () => app.fetch(new Request("http://localhost/stars"))));
  const ok = responses.filter((r) => r.status === 200).length;
  await app.close();
  upstream.close();
  return { upstreamCalls, ok };
}

console.log(`node ${process.version}; ${rounds} rounds × ${duration}s; server on core 0, wrk -t1 -c50 on core 1`);
console.log("\n1. cache-hit route vs the same route uncached (one process, interleaved):");
const ratio = await throughput();
console.log(`  median ratio cached/uncached: ${ratio.toFixed(3)} (target ≥ 0.9)`);
console.log("\n2. 1,000 concurrent misses of one key through a cached function:");
const { upstreamCalls, ok } = await stampede();
console.log(`  upstream calls: ${upstreamCalls} (target 1); ${ok}/1000 answered 200`);
