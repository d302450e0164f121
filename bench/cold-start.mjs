#!/usr/bin/env node
// Cold start and memory, side by side in one run (issue 16, DESIGN.md §6):
//
// 1. Servers: fresh processes of raw node:http, h3, Hono, Fastify, nitrokit bare and nitrokit
//    full stack (bench/servers/*.mjs, each listening on $PORT). Per start: wall time from spawn
//    to the body of the first 200 (GET /api/hello), the child's CPU time until then, its RSS
//    right after that first response (idle), and its RSS after a short load (`--load` requests
//    on /api/users/42, keep-alive, 32 at a time).
// 2. Built output: `nitrokit build --preset node` of examples/hello, started as
//    `node .output/server/index.mjs`, against raw node:http.
// 3. Lambda: the `--preset aws-lambda` build of examples/hello answering one API Gateway v2
//    event in-process (process start → the result printed), against a bare handler returning
//    the same JSON.
// Each group also prints its floor under its baseline: the baseline with Node's web globals
// loaded (bench/servers/node-http-web-globals.mjs), which h3's import loads on Node 20, so no
// server or handler on h3 starts or idles below it.
// 4. With --bun: fresh processes on the real Bun (node_modules/bun) of a fetch-only Bun.serve
//    (the baseline), Elysia, Hono, h3, nitrokit/bun bare and full stack (bench/bun-servers/*.mjs),
//    measured as in 1.
//
//   node bench/cold-start.mjs [--rounds N=5] [--load N=3000] [--only a,b] [--server name=path.mjs] [--skip-build-output] [--bun] [--build]
//
// `--server name=path.mjs` (repeatable) adds any script that listens on $PORT and answers
// /api/hello and /api/users/:id like bench/servers/*.mjs: a variant to compare in the same run.
//
// Subjects of a group are interleaved, the order rotating each round; every figure printed is
// the median over rounds of the per-round ratio to the group's baseline (raw node:http, or the
// bare Lambda handler). Wall times follow the other processes on the machine; CPU times and RSS
// much less: compare variants within one run, never across runs.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { knownServers, namedPaths, nonNegativeInt, parseFlags, positiveInt } from "./lib/args.mjs";
import { BUN_SERVERS, NODE_SERVER_NAMES, NODE_SERVERS, WEB_GLOBALS_FLOOR } from "./lib/servers.mjs";
import { ensureBuild, pinTo } from "./lib/setup.mjs";
import { buildHello, freePort, get, median, writeBareLambda } from "./lib/start-up.mjs";

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = join(benchDir, "..");

const FLAGS = {
  rounds: { type: "string", default: "5" }, load: { type: "string", default: "3000" },
  only: { type: "string" }, server: { type: "string", multiple: true, default: [] },
  "skip-build-output": { type: "boolean", default: false }, bun: { type: "boolean", default: false }, build: { type: "boolean", default: false },
};

function readOptions() {
  const { values } = parseFlags(FLAGS, [
    "usage: node bench/cold-start.mjs [--rounds N=5] [--load N=3000] [--only a,b] [--server name=path.mjs] [--skip-build-output] [--bun] [--build]",
    `  servers: ${NODE_SERVER_NAMES.join(", ")} (node-http is always measured: it is the baseline)`,
  ]);
  return {
    rounds: positiveInt("--rounds", values.rounds),
    load: nonNegativeInt("--load", values.load),
    only: knownServers(values.only, NODE_SERVER_NAMES),
    extra: namedPaths("--server", values.server, "path.mjs").map(({ name, path }) => ({ name, script: path })),
    buildOutput: !values["skip-build-output"],
    bun: values.bun,
    build: values.build,
  };
}

const pin = pinTo(0);

/** Polls (1 ms apart) until the server answers `path`; the child's exit fails it. */
async function firstResponse(child, port, path) {
  let exited;
  child.once("exit", (code, signal) => (exited = `exited (${code ?? signal}) before answering`));
  for (;;) {
    if (exited) throw new Error(exited);
    try {
      return await get(port, path, false);
    } catch (error) {
      if (error.code !== "ECONNREFUSED" && error.code !== "ECONNRESET") throw error;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
}

/** `count` GETs of `path` over keep-alive connections, `concurrency` at a time; throws on any non-200. */
async function load(port, path, count, concurrency = 32) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const { status, body } = await get(port, path, agent);
      if (status !== 200) throw new Error(`${path} answered ${status} under load: ${body}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
}

/** Resident set size (bytes) of a process, from /proc/<pid>/status; `undefined` without /proc. */
function rss(pid) {
  try {
    const kB = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kB === undefined ? undefined : Number(kB) * 1024;
  } catch {
    return undefined;
  }
}

/** CPU time (ms) used so far by every thread of a process (/proc/<pid>/task/<tid>/schedstat). */
function cpuTime(pid) {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    return ns / 1e6;
  } catch {
    return undefined;
  }
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

/** One fresh server process (`runtime script`): spawn → first 200 of /api/hello, idle RSS, RSS after load. */
async function measureServer(script, loadCount, runtime = process.execPath) {
  const port = await freePort();
  const command = [...pin, runtime, script];
  const started = performance.now();
  const child = spawn(command[0], command.slice(1), { cwd: root, env: { ...process.env, PORT: String(port), NODE_ENV: "production" }, stdio: ["ignore", "ignore", "inherit"] });
  try {
    const first = await firstResponse(child, port, "/api/hello");
    const elapsed = performance.now() - started;
    const cpu = cpuTime(child.pid);
    if (first.status !== 200 || !first.body.includes("Hello from")) throw new Error(`${relative(root, script)}: /api/hello answered ${first.status} ${first.body}`);
    const idle = rss(child.pid);
    if (loadCount > 0) await load(port, "/api/users/42", loadCount);
    return { elapsed, cpu, idle, loaded: loadCount > 0 ? rss(child.pid) : undefined };
  } finally {
    await stop(child);
  }
}

/** One fresh process running `runner` (it imports a Lambda handler and invokes it once): spawn → result. */
function measureLambda(modulePath) {
  return new Promise((resolve, reject) => {
    const command = [...pin, process.execPath, join(benchDir, "servers/lambda-invoke.mjs"), modulePath];
    const started = performance.now();
    const child = spawn(command[0], command.slice(1), { cwd: root, env: { ...process.env, NODE_ENV: "production" }, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      stdout += chunk;
      if (!stdout.includes("\n")) return;
      const elapsed = performance.now() - started;
      const cpu = cpuTime(child.pid);
      const idle = rss(child.pid);
      const result = JSON.parse(stdout);
      if (result.statusCode !== 200 || !String(result.body).includes("Hello from")) return reject(new Error(`${modulePath} answered ${stdout}`));
      stop(child).then(() => resolve({ elapsed, cpu, idle }));
    });
    child.once("exit", (code, signal) => {
      if (!stdout.includes("\n")) reject(new Error(`${modulePath} exited (${code ?? signal}) before answering: ${stdout}`));
    });
  });
}

const MiB = (bytes) => (bytes / 2 ** 20).toFixed(1);

/** Interleaved rounds over `subjects` (the first is the baseline); prints one table. */
async function runGroup(title, subjects, rounds) {
  console.log(`\n## ${title}`);
  // One throwaway start each warms the disk cache.
  for (const subject of subjects) await subject.run();
  const results = new Map(subjects.map((subject) => [subject.name, []]));
  for (let round = 0; round < rounds; round++) {
    const order = subjects.map((_, i) => subjects[(i + round) % subjects.length]);
    for (const subject of order) results.get(subject.name).push(await subject.run());
    process.stdout.write(`\rround ${round + 1}/${rounds}`);
  }
  process.stdout.write("\n");
  const base = results.get(subjects[0].name);
  const ratio = (runs, key) =>
    runs.every((run, i) => run[key] !== undefined && base[i][key] !== undefined) ? median(runs.map((run, i) => run[key] / base[i][key])).toFixed(2) : "";
  const rows = subjects.map(({ name }) => {
    const runs = results.get(name);
    return {
      subject: name,
      "start ×": ratio(runs, "elapsed"),
      "start CPU ×": ratio(runs, "cpu"),
      "idle RSS ×": ratio(runs, "idle"),
      "loaded RSS ×": ratio(runs, "loaded"),
      "start ms": median(runs.map((run) => run.elapsed)).toFixed(1),
      "idle MiB": runs[0].idle === undefined ? "" : MiB(median(runs.map((run) => run.idle))),
      "loaded MiB": runs[0].loaded === undefined ? "" : MiB(median(runs.map((run) => run.loaded))),
      "start × (per round)": runs.map((run, i) => (run.elapsed / base[i].elapsed).toFixed(2)).join(" "),
    };
  });
  console.table(rows);
  return results;
}

async function main() {
  const opts = readOptions();
  ensureBuild(opts.build);
  console.log(`node ${process.version}, ${opts.rounds} rounds, ${pin.length ? "children pinned to core 0" : "unpinned (no taskset)"}, load ${opts.load} requests`);
  console.log("Ratios: median over rounds of (subject ÷ baseline of the same round). ms and MiB columns: medians, for orientation only.");

  const servers = [
    // node-http (the baseline) first, under it the floor of any server on h3 (raw node:http with the
    // web globals loaded), then the others --only names, in bench/lib/servers.mjs's order.
    ...NODE_SERVERS.filter(({ name }) => name === "node-http").map(({ name, path }) => ({ name, script: path })),
    { name: WEB_GLOBALS_FLOOR.name, script: WEB_GLOBALS_FLOOR.path },
    ...NODE_SERVERS.filter(({ name }) => name !== "node-http" && (!opts.only || opts.only.includes(name))).map(({ name, path }) => ({ name, script: path })),
    ...opts.extra,
  ];
  const names = servers.map(({ name }) => name);
  const serverResults = await runGroup(
    "Servers: spawn → first 200 of GET /api/hello; RSS idle after it and after the load (× raw node:http)",
    servers.map(({ name, script }) => ({ name, run: () => measureServer(script, opts.load) })),
    opts.rounds,
  );
  const h3 = serverResults.get("h3");
  if (h3 && opts.load > 0) {
    // nitrokit's servers and any --server variant, against h3.
    const peers = new Set(["node-http", WEB_GLOBALS_FLOOR.name, "h3", "hono", "fastify"]);
    for (const name of names.filter((name) => !peers.has(name))) {
      const runs = serverResults.get(name);
      console.log(`${name}: loaded RSS ${median(runs.map((run, i) => run.loaded / h3[i].loaded)).toFixed(2)}× h3's (target ≤ 1.2×)`);
    }
  }
  console.log("Targets (issue 16): nitrokit full stack start ≤ 1.4×, idle RSS ≤ 1.2× raw node:http.");

  if (opts.bun) {
    const bun = [join(root, "node_modules/bun/bin/bun.exe"), join(root, "node_modules/@oven/bun-linux-x64/bin/bun")].find(existsSync);
    if (!bun) throw new Error("--bun: no bun binary (npm ci installs it: devDependency 'bun')");
    await runGroup(
      "Bun: spawn → first 200 of GET /api/hello; RSS idle and after the load (× a fetch-only Bun.serve)",
      // Every server of bench/lib/servers.mjs's BUN_SERVERS, named in the table by its file (elysia-bun, nitrokit-bun…).
      BUN_SERVERS.map(({ path }) => ({ name: basename(path, ".mjs"), run: () => measureServer(path, opts.load, bun) })),
      opts.rounds,
    );
  }

  if (!opts.buildOutput) return;
  const work = mkdtempSync(join(tmpdir(), "nitrokit-bench-cold-"));
  try {
    console.log("\nBuilding examples/hello with --preset node and --preset aws-lambda…");
    const cli = join(root, "dist/cli.js");
    const nodeOutput = buildHello(cli, "node", join(work, "node/.output"));
    const lambdaOutput = buildHello(cli, "aws-lambda", join(work, "lambda/.output"));
    const bareLambda = writeBareLambda(work);
    const bareLambdaWebGlobals = writeBareLambda(work, { webGlobals: true });
    await runGroup(
      "Built output: `nitrokit build --preset node` (examples/hello) → node .output/server/index.mjs (× raw node:http); target ≤ 1.3×",
      [
        { name: "node-http", run: () => measureServer(join(benchDir, "servers/node-http.mjs"), 0) },
        { name: WEB_GLOBALS_FLOOR.name, run: () => measureServer(WEB_GLOBALS_FLOOR.path, 0) },
        { name: "nitrokit --preset node", run: () => measureServer(nodeOutput, 0) },
      ],
      opts.rounds,
    );
    await runGroup(
      "Lambda: process start → first event answered in-process (× a bare handler returning the same JSON); target ≤ 1.3×",
      [
        { name: "bare handler", run: () => measureLambda(bareLambda) },
        { name: "bare handler + web globals", run: () => measureLambda(bareLambdaWebGlobals) },
        { name: "nitrokit --preset aws-lambda", run: () => measureLambda(lambdaOutput) },
      ],
      opts.rounds,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
