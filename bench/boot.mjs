#!/usr/bin/env node
// Boot cost of filesystem routing: process start → first response, for 10, 100 and 1,000
// generated route files registered lazily by nitrokit/routing (DESIGN.md §6: 1,000 lazy
// routes ≤ 1.1× 10; issue 6: ≤ 1.2×).
//
//   node bench/boot.mjs [--rounds N=15] [--counts 10,100,1000] [--build] [--keep] [--server name=/abs/boot-fs-routes.mjs]
//
// `--server name=path.mjs` (repeatable) measures another copy of bench/servers/boot-fs-routes.mjs
// (e.g. a worktree of an earlier commit, built: it loads its own dist/) on the same trees, in the
// same rounds: each variant's ratios are to its own 10-file start.
//
// Each measurement is a fresh `node bench/servers/boot-fs-routes.mjs <dir>` (pinned with
// `taskset -c 0` when available): the clock starts before spawn and stops when the body of
// the first response (GET /api/s0/r0, a file imported on that request) has arrived. Counts
// are interleaved, their order rotating each round; raw node:http is measured alongside as
// the floor. Reported: medians, and the median of per-round ratios to the 10-file app.
import { spawn } from "node:child_process";
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { commaList, namedPaths, parseFlags, positiveInt } from "./lib/args.mjs";
import { generateTree, treesDir } from "./lib/boot-trees.mjs";
import { ensureBuild, pinTo } from "./lib/setup.mjs";

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = join(benchDir, "..");

function readOptions() {
  const { values } = parseFlags(
    { rounds: { type: "string", default: "15" }, counts: { type: "string", default: "10,100,1000" }, build: { type: "boolean", default: false }, keep: { type: "boolean", default: false }, server: { type: "string", multiple: true, default: [] } },
    [
      "usage: node bench/boot.mjs [--rounds N=15] [--counts 10,100,1000] [--build] [--keep] [--server name=/abs/boot-fs-routes.mjs]",
      "  --keep: leave the generated trees in bench/.boot/routes-<count> (to profile a start-up by hand).",
    ],
  );
  const counts = commaList(values.counts).map(Number);
  if (!counts.length || counts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error("--counts expects positive integers");
  return {
    rounds: positiveInt("--rounds", values.rounds),
    counts,
    build: values.build,
    keep: values.keep,
    // A relative path is taken from the repository's root, where measure() runs the server.
    servers: namedPaths("--server", values.server, "/abs/path/boot-fs-routes.mjs", root).map(({ name, path }) => ({ name, script: path })),
  };
}

const pin = pinTo(0);

/** One fresh process: ms from spawn to the first response's body, plus the phases it printed. */
function measure(script, args, path, expectBody) {
  return new Promise((resolve, reject) => {
    const command = [...pin, process.execPath, script, ...args];
    const started = performance.now();
    const child = spawn(command[0], command.slice(1), { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    const fail = (error) => {
      child.kill("SIGKILL");
      reject(error);
    };
    child.stdout.setEncoding("utf8").on("data", async (chunk) => {
      const before = stdout;
      stdout += chunk;
      const match = /^LISTENING (\d+)(.*)$/m.exec(stdout);
      if (!match || /^LISTENING/m.test(before)) return;
      try {
        const response = await fetch(`http://127.0.0.1:${match[1]}${path}`);
        const body = await response.text();
        const elapsed = performance.now() - started;
        const cpu = cpuTime(child.pid);
        if (response.status !== 200 || !body.includes(expectBody)) throw new Error(`${path} answered ${response.status} ${body}`);
        const phases = Object.fromEntries([...match[2].matchAll(/(\w+)=([\d.]+)/g)].map(([, key, ms]) => [key, Number(ms)]));
        child.kill("SIGKILL");
        child.once("exit", () => resolve({ elapsed, cpu, phases }));
      } catch (error) {
        fail(error);
      }
    });
    child.once("exit", (code, signal) => {
      if (!/^LISTENING/m.test(stdout)) reject(new Error(`${script} exited (${code ?? signal}) before listening: ${stdout}`));
    });
  });
}

/**
 * CPU time (ms) the process has used so far, all its threads, from /proc/<pid>/task/<tid>/schedstat
 * (nanoseconds on CPU): unlike wall time, it barely moves when other processes share the cores.
 * `undefined` where /proc is not there.
 */
function cpuTime(pid) {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    }
    return ns / 1e6;
  } catch {
    return undefined;
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main() {
  const opts = readOptions();
  ensureBuild(opts.build, "dist/routing/index.js");
  const trees = Object.fromEntries(opts.counts.map((count) => [count, generateTree(count)]));
  const fsScript = join(benchDir, "servers/boot-fs-routes.mjs");
  const rawScript = join(benchDir, "servers/boot-node-http.mjs");
  const variants = [{ name: "", script: fsScript }, ...opts.servers.map(({ name, script }) => ({ name: ` (${name})`, script }))];
  const subjects = [
    { name: "node:http (raw)", run: () => measure(rawScript, [], "/", '"route":0') },
    ...variants.flatMap((variant) =>
      opts.counts.map((count) => ({
        name: `${count} files${variant.name}`,
        variant: variant.name,
        run: () => measure(variant.script, [trees[count]], "/api/s0/r0", '"route":0'),
      })),
    ),
  ];

  console.log(`node ${process.version}, ${opts.rounds} rounds, ${pin.length ? "pinned to core 0" : "unpinned (no taskset)"}; first request: GET /api/s0/r0`);
  // Two throwaway starts warm the disk cache and Node's compile cache for every subject.
  for (const subject of subjects) for (let i = 0; i < 2; i++) await subject.run();

  const results = new Map(subjects.map((subject) => [subject.name, []]));
  for (let round = 0; round < opts.rounds; round++) {
    const order = subjects.map((_, i) => subjects[(i + round) % subjects.length]);
    for (const subject of order) results.get(subject.name).push(await subject.run());
    process.stdout.write(`\rround ${round + 1}/${opts.rounds}`);
  }
  process.stdout.write("\n\n");

  const rows = subjects.map((subject) => {
    const runs = results.get(subject.name);
    // Each variant against its own smallest tree (raw node:http against the main one's).
    const base = results.get(`${opts.counts[0]} files${subject.variant ?? ""}`);
    const elapsed = runs.map((run) => run.elapsed);
    const ratios = runs.map((run, i) => run.elapsed / base[i].elapsed);
    const cpu = runs.every((run) => run.cpu !== undefined) ? runs.map((run) => run.cpu) : undefined;
    const phase = (from, to) =>
      runs[0].phases[to] === undefined ? "" : median(runs.map((run) => run.phases[to] - (from ? run.phases[from] : 0))).toFixed(1);
    return {
      subject: subject.name,
      "median ms": median(elapsed).toFixed(1),
      "min ms": Math.min(...elapsed).toFixed(1),
      "max ms": Math.max(...elapsed).toFixed(1),
      [`× ${opts.counts[0]} files`]: median(ratios).toFixed(3),
      "CPU ms": cpu ? median(cpu).toFixed(1) : "",
      [`CPU × ${opts.counts[0]} files`]: cpu ? median(runs.map((run, i) => run.cpu / base[i].cpu)).toFixed(3) : "",
      "start+imports": phase(undefined, "imported"),
      globModules: phase("imported", "globbed"),
      registerRoutes: phase("globbed", "registered"),
      listen: phase("registered", "listening"),
    };
  });
  console.table(rows);
  const last = opts.counts.at(-1);
  console.log("");
  for (const variant of variants) {
    const base = results.get(`${opts.counts[0]} files${variant.name}`);
    const top = results.get(`${last} files${variant.name}`);
    const ratio = median(top.map((run, i) => run.elapsed / base[i].elapsed));
    const ofMedians = median(top.map((run) => run.elapsed)) / median(base.map((run) => run.elapsed));
    console.log(`${last}/${opts.counts[0]} files${variant.name}, wall time: ${ratio.toFixed(3)}× (median of per-round ratios), ${ofMedians.toFixed(3)}× (ratio of medians).`);
    if (base.every((run) => run.cpu !== undefined)) {
      const cpuRatio = median(top.map((run, i) => run.cpu / base[i].cpu));
      console.log(`${last}/${opts.counts[0]} files${variant.name}, CPU time: ${cpuRatio.toFixed(3)}× (median of per-round ratios).`);
    }
  }
  console.log("Targets: ≤ 1.2× (issue 6), ≤ 1.1× (DESIGN.md §6).");
  console.log("CPU: every thread of the child, spawn → first response. Phases: the child's own CPU time (process.cpuUsage) per start-up step, medians.");
  if (!opts.keep) rmSync(treesDir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
