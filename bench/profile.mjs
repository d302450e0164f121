#!/usr/bin/env node
// CPU-profiles one bench server under wrk load and prints the self-time summary.
//
//   node bench/profile.mjs [server=nitrokit-bare] [--route /api/hello] [--duration 5] [--dir /tmp/prof] [--top 25]
//
// The server runs as `taskset -c 0 node --cpu-prof --cpu-prof-dir=<dir> bench/servers/<server>.mjs`,
// wrk as `taskset -c 1 wrk -t1 -c50` (2 s warm-up, then <duration> s), then the server gets
// SIGINT: nitrokit's serve() shuts down gracefully and exits, which writes the profile. Servers
// without a SIGINT handler get one from a preload (exit(0)), so they write theirs too.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import http from "node:http";
import { parseFlags, positiveInt } from "./lib/args.mjs";

const benchDir = dirname(fileURLToPath(import.meta.url));
const { values, positionals } = parseFlags(
  { route: { type: "string", default: "/api/hello" }, duration: { type: "string", default: "5" }, dir: { type: "string", default: "/tmp/prof" }, top: { type: "string", default: "25" }, interval: { type: "string", default: "100" } },
  "usage: node bench/profile.mjs [server=nitrokit-bare] [--route /api/hello] [--duration 5] [--dir /tmp/prof] [--top 25] [--interval 100]",
  { allowPositionals: true },
);
const opts = { server: positionals.at(-1) ?? "nitrokit-bare", route: values.route, duration: positiveInt("--duration", values.duration), dir: values.dir, top: positiveInt("--top", values.top), interval: positiveInt("--interval", values.interval) };

const dir = join(opts.dir, `${opts.server}-${Date.now()}`);
mkdirSync(dir, { recursive: true });
// Below the ephemeral range, so no client socket can hold it (see bench/http.mjs).
const port = 25000 + Math.floor(Math.random() * 1000);
const preload = join(benchDir, "servers", "_exit-on-sigint.mjs");
const child = spawn(
  "taskset",
  ["-c", "0", process.execPath, "--cpu-prof", `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${opts.interval}`, "--import", preload, join(benchDir, "servers", `${opts.server}.mjs`)],
  { env: { ...process.env, PORT: String(port), NODE_ENV: "production" }, stdio: ["ignore", "inherit", "inherit"] },
);
const exited = new Promise((resolve) => child.once("exit", resolve));

const get = () =>
  new Promise((resolve, reject) => {
    http.get({ host: "127.0.0.1", port, path: opts.route, agent: false }, (res) => res.resume().on("end", resolve)).on("error", reject);
  });
for (let i = 0; ; i++) {
  try {
    await get();
    break;
  } catch {
    if (i > 400) throw new Error("server did not start");
    await new Promise((r) => setTimeout(r, 25));
  }
}

const wrk = (seconds) =>
  spawnSync("taskset", ["-c", "1", "wrk", "-t1", "-c50", `-d${seconds}s`, `http://127.0.0.1:${port}${opts.route}`], { encoding: "utf8" }).stdout;
const requestsIn = (out) => Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN);
const warm = wrk(2);
const out = wrk(opts.duration);
const requests = requestsIn(warm) + requestsIn(out) + 1;
console.log(`${opts.server} ${opts.route}: ${/Requests\/sec:.*/.exec(out)?.[0]} (under the profiler; not comparable to bench/http.mjs), ${requests} requests profiled`);
child.kill("SIGINT");
const code = await exited;
const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
if (!files.length) throw new Error(`no profile written (server exit code ${code})`);
spawnSync(process.execPath, [join(benchDir, "profile-summary.mjs"), ...files.map((f) => join(dir, f)), "--top", String(opts.top), ...(Number.isInteger(requests) ? ["--requests", String(requests)] : [])], { stdio: "inherit" });
