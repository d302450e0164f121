#!/usr/bin/env node
// Summarises V8 .cpuprofile files (from `node --cpu-prof`): self time aggregated by
// function name + script URL (+ line), top N, plus self time per package/area.
//
//   node bench/profile-summary.mjs /tmp/prof/*.cpuprofile [--top 25] [--requests N]
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { nonNegativeInt, parseFlags, positiveInt } from "./lib/args.mjs";

const USAGE = "usage: node bench/profile-summary.mjs <file.cpuprofile>... [--top 25] [--requests N]";
const { values, positionals: files } = parseFlags({ top: { type: "string", default: "25" }, requests: { type: "string", default: "0" } }, USAGE, { allowPositionals: true });
const top = positiveInt("--top", values.top);
const requests = nonNegativeInt("--requests", values.requests); // 0: not given (no per-request column)
if (!files.length) {
  console.error(USAGE);
  process.exit(1);
}

const cwd = process.cwd();
function shortUrl(url) {
  if (!url) return "";
  const path = url.startsWith("file://") ? new URL(url).pathname : url;
  return path.startsWith(cwd) ? relative(cwd, path) : path;
}

/** Which package or area a script belongs to. */
function area(url, name) {
  if (!url) {
    if (name === "(garbage collector)") return "(gc)";
    if (name === "(idle)" || name === "(program)") return name;
    return "(native/V8)";
  }
  const path = shortUrl(url);
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (nm) return nm[1];
  if (path.startsWith("dist/")) return "nitrokit (dist)";
  if (path.startsWith("node:") || !path.startsWith("/")) return `node:${path.replace(/^node:/, "").split("/")[0]}`;
  return path;
}

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  // Self time per node: the sampled time deltas attributed to that node id.
  const self = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    const dt = timeDeltas[i + 1] ?? 0; // delta i+1 is the duration of sample i
    self.set(samples[i], (self.get(samples[i]) ?? 0) + dt);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFn = new Map();
  const byArea = new Map();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = nodes.get(id).callFrame;
    const name = functionName || "(anonymous)";
    const key = `${name}  ${shortUrl(url)}${url ? `:${lineNumber + 1}` : ""}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    const a = area(url, name);
    byArea.set(a, (byArea.get(a) ?? 0) + us);
  }
  // Inclusive (total) time: every function on the sampled stack gets the sample, once.
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (id) => {
    const { functionName, url, lineNumber } = nodes.get(id).callFrame;
    return `${functionName || "(anonymous)"}  ${shortUrl(url)}${url ? `:${lineNumber + 1}` : ""}`;
  };
  const inclusive = new Map();
  for (let i = 0; i < samples.length; i++) {
    const dt = timeDeltas[i + 1] ?? 0;
    const seen = new Set();
    for (let id = samples[i]; id !== undefined; id = parent.get(id)) {
      const key = keyOf(id);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
    }
  }
  const idle = (byArea.get("(idle)") ?? 0);
  const busy = total - idle;
  // With --requests: also CPU µs per request (inflated by the profiler; compare between profiles only).
  const pct = (us, of) => `${((us / of) * 100).toFixed(1).padStart(5)}%` + (requests ? `${(us / requests).toFixed(2).padStart(7)} µs/req` : "");

  console.log(`\n${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s not idle (percentages below are of non-idle time)`);
  if (requests) console.log(`${requests} requests: ${(busy / requests).toFixed(2)} µs of non-idle CPU per request (under the profiler)`);
  console.log(`\nTop ${top} functions by self time:`);
  const rows = [...byFn].filter(([k]) => !k.startsWith("(idle)")).sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [key, us] of rows) console.log(`  ${pct(us, busy)}  ${key}`);
  console.log(`\nTop ${top} functions by inclusive time (self + callees):`);
  const skip = /^\((root|idle|program|garbage collector)\)/;
  for (const [key, us] of [...inclusive].filter(([k]) => !skip.test(k)).sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${pct(us, busy)}  ${key}`);
  }
  console.log("\nSelf time by package/area:");
  for (const [key, us] of [...byArea].filter(([k]) => k !== "(idle)").sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    console.log(`  ${pct(us, busy)}  ${key}`);
  }
}
