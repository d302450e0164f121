#!/usr/bin/env node
// Soak: a server under steady load for minutes keeps its memory flat and answers every request.
//
//   node bench/soak.mjs [--server nitrokit-full] [--minutes 5] [--slice 10] [--connections 50] [--path /api/users/42]
//
// Starts bench/servers/<server>.mjs (or a path), runs `wrk -t1 -c<C>` in slices of <slice>
// seconds for <minutes>, and after each slice reads the server's resident memory (VmRSS from
// /proc/<pid>/status). The first minute is warm-up (JIT, pools, caches filling); the verdict
// compares the last slice with the first slice after it: "flat" when last ≤ 1.1 × that one
// (issue 16's target), and counts non-2xx answers and socket errors over the whole run (target 0).
import { spawn, execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseFlags, positiveInt, positiveNumber } from "./lib/args.mjs";

const serversDir = join(dirname(fileURLToPath(import.meta.url)), "servers");

function readOptions() {
  const { values } = parseFlags(
    { server: { type: "string", default: "nitrokit-full" }, minutes: { type: "string", default: "5" }, slice: { type: "string", default: "10" }, connections: { type: "string", default: "50" }, path: { type: "string", default: "/api/users/42" } },
    "usage: node bench/soak.mjs [--server nitrokit-full] [--minutes 5] [--slice 10] [--connections 50] [--path /api/users/42]",
  );
  return {
    server: values.server,
    minutes: positiveNumber("--minutes", values.minutes),
    slice: positiveInt("--slice", values.slice), // wrk's -d takes whole seconds
    connections: positiveInt("--connections", values.connections),
    path: values.path,
  };
}

const opts = readOptions();
const file = existsSync(join(serversDir, `${opts.server}.mjs`)) ? join(serversDir, `${opts.server}.mjs`) : resolve(opts.server);
const port = 25900 + Math.floor(Math.random() * 90);
const url = `http://127.0.0.1:${port}${opts.path}`;
const rssMiB = (pid) => Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/)[1]) / 1024;

const child = spawn(process.execPath, [file], { env: { ...process.env, PORT: String(port) }, stdio: "ignore" });
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      if (i > 200) throw new Error(`${opts.server} did not answer ${url}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  const slices = Math.max(2, Math.round((opts.minutes * 60) / opts.slice));
  const warmupSlices = Math.min(slices - 1, Math.ceil(60 / opts.slice));
  const samples = [];
  let requests = 0;
  let errors = 0;
  console.log(`${opts.server}: ${opts.minutes} min of wrk -c${opts.connections} on ${opts.path}, RSS after each ${opts.slice} s slice\n`);
  for (let slice = 0; slice < slices; slice++) {
    const out = execFileSync("wrk", ["-t1", `-c${opts.connections}`, `-d${opts.slice}s`, url], { encoding: "utf8" });
    requests += Number(out.match(/(\d+) requests in/)[1]);
    errors += Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
    const socket = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
    if (socket) errors += socket.slice(1).reduce((sum, n) => sum + Number(n), 0);
    samples.push(rssMiB(child.pid));
    console.log(`  ${String((slice + 1) * opts.slice).padStart(4)} s   RSS ${samples.at(-1).toFixed(1)} MiB${slice + 1 === warmupSlices ? "   (end of warm-up)" : ""}`);
  }
  const reference = samples[warmupSlices];
  const ratio = samples.at(-1) / reference;
  console.log(`\nRSS last ÷ first after warm-up: ${ratio.toFixed(3)} (${ratio <= 1.1 ? "flat" : "GROWING"}; target ≤ 1.10)`);
  console.log(`requests: ${requests}, errors: ${errors} (target 0)`);
  if (ratio > 1.1 || errors > 0) process.exitCode = 1;
} finally {
  child.kill("SIGKILL");
}
