#!/usr/bin/env node
// Machine instructions from process start to the first answer, counted by valgrind (callgrind):
// the A/B measure for start-up changes on a noisy machine, as bench/instructions.mjs is for the
// request path.
//
//   node bench/startup-instructions.mjs [--runs N=2] [--jobs N=2] [--only a,b] [--server name=path.mjs]
//                                      [--cli name=/abs/dist/cli.js] [--skip-build-output] [--skip-servers]
//
// Why: wall and CPU times of a start vary by ±10–40% per round on this VM (bench/cold-start.mjs
// prints its per-round ratios: 1.39–2.66 for the same server in one run), so a start-up change
// worth 1–5% cannot be read from them. callgrind counts what the process executes; with V8 made
// deterministic (`--single-threaded`, `--predictable-gc-schedule`, fixed hash and random seeds:
// bench/lib/callgrind.mjs) the count of one start moves by about 0.01% from run to run.
//
// What is counted, per subject, the whole process (Node's own bootstrap included, the same for all):
// - servers (bench/servers/*.mjs, `--server` scripts, and the `nitrokit build --preset node` output
//   of examples/hello): spawn → the first response to GET /api/hello handed to the socket (a
//   preload, bench/lib/exit-after-first-response.mjs, exits the process then). Ratios to raw node:http.
// - the `--preset aws-lambda` output of examples/hello answering one event in-process
//   (bench/servers/lambda-invoke.mjs), against a bare handler returning the same JSON.
// Each group also counts its floor under its baseline: the baseline with Node's web globals loaded
// (bench/servers/node-http-web-globals.mjs), which h3's import loads on Node 20.
// `--cli name=/abs/path/dist/cli.js` builds examples/hello with another build of nitrokit too (e.g.
// a worktree of an earlier commit, built), for a before/after of the built outputs: each CLI builds
// the examples/hello of its own repository, so the output holds that build's runtime.
//
// What it does not see: time that is not instructions (file system reads, page faults, cache
// misses). Quote bench/cold-start.mjs for the targets; use this to rank changes. Needs valgrind;
// each count takes 10–20 s of CPU.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { knownServers, namedPaths, parseFlags, positiveInt } from "./lib/args.mjs";
import { assertValgrind, countInstructions, pool, V8_DETERMINISTIC } from "./lib/callgrind.mjs";
import { NODE_SERVER_NAMES, NODE_SERVERS, WEB_GLOBALS_FLOOR } from "./lib/servers.mjs";
import { ensureBuild } from "./lib/setup.mjs";
import { buildHello, freePort, get, median, writeBareLambda } from "./lib/start-up.mjs";

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = join(benchDir, "..");

const FLAGS = {
  runs: { type: "string", default: "2" }, jobs: { type: "string", default: "2" }, only: { type: "string" },
  server: { type: "string", multiple: true, default: [] }, cli: { type: "string", multiple: true, default: [] },
  "skip-build-output": { type: "boolean", default: false }, "skip-servers": { type: "boolean", default: false },
};

function readOptions() {
  const { values } = parseFlags(FLAGS, [
    "usage: node bench/startup-instructions.mjs [--runs N=2] [--jobs N=2] [--only a,b] [--server name=path.mjs] [--cli name=/abs/dist/cli.js] [--skip-build-output] [--skip-servers]",
    `  servers: ${NODE_SERVER_NAMES.join(", ")} (node-http is always counted: it is the baseline)`,
  ]);
  return {
    runs: positiveInt("--runs", values.runs),
    jobs: positiveInt("--jobs", values.jobs),
    only: knownServers(values.only, NODE_SERVER_NAMES),
    extra: namedPaths("--server", values.server, "path.mjs"),
    clis: namedPaths("--cli", values.cli, "/abs/dist/cli.js"),
    servers: !values["skip-servers"],
    buildOutput: !values["skip-build-output"],
  };
}

/** A server script: start → its first 200 to GET /api/hello (the preload then exits the process). */
async function countServer(script) {
  const port = await freePort();
  const preload = join(benchDir, "lib/exit-after-first-response.mjs");
  const { instructions } = await countInstructions(["--import", preload, script], { PORT: String(port) }, async (exited) => {
    let gone = false;
    void exited.then(() => (gone = true));
    for (;;) {
      if (gone) throw new Error(`${script} exited before answering`);
      try {
        const { status, body } = await get(port, "/api/hello");
        if (status !== 200 || !body.includes("Hello from")) throw new Error(`${script}: /api/hello answered ${status} ${body}`);
        return;
      } catch (error) {
        if (error.code !== "ECONNREFUSED" && error.code !== "ECONNRESET") throw error;
        await new Promise((wait) => setTimeout(wait, 100));
      }
    }
  });
  return instructions;
}

/** A Lambda handler module: start → its answer to one API Gateway event (bench/servers/lambda-invoke.mjs). */
async function countLambda(modulePath) {
  const { instructions, stdout } = await countInstructions([join(benchDir, "servers/lambda-invoke.mjs"), modulePath], {});
  const result = JSON.parse(stdout);
  if (result.statusCode !== 200 || !String(result.body).includes("Hello from")) throw new Error(`${modulePath} answered ${stdout}`);
  return instructions;
}

/** Counts every subject `runs` times (interleaved) and prints one table, ratios to the first subject. */
async function runGroup(title, subjects, opts) {
  console.log(`\n## ${title}`);
  const tasks = [];
  for (let run = 0; run < opts.runs; run++) for (const subject of subjects) tasks.push(async () => ({ name: subject.name, count: await subject.count() }));
  const counts = new Map(subjects.map(({ name }) => [name, []]));
  for (const { name, count } of await pool(tasks, opts.jobs)) counts.get(name).push(count);
  const base = median(counts.get(subjects[0].name));
  console.table(
    subjects.map(({ name }) => {
      const runs = counts.get(name);
      return {
        subject: name,
        "instructions (M)": (median(runs) / 1e6).toFixed(1),
        "× baseline": (median(runs) / base).toFixed(3),
        "above baseline (M)": ((median(runs) - base) / 1e6).toFixed(1),
        "spread of runs": `${(((Math.max(...runs) - Math.min(...runs)) / median(runs)) * 100).toFixed(1)}%`,
      };
    }),
  );
}

async function main() {
  const opts = readOptions();
  assertValgrind();
  ensureBuild(false);
  console.log(`node ${process.version}, V8 ${V8_DETERMINISTIC.join(" ")}, ${opts.runs} runs each, ${opts.jobs} at a time; medians`);

  const servers = [
    // node-http (the baseline) first, under it the floor of any server on h3 (raw node:http with the
    // web globals loaded), then the others --only names, in bench/lib/servers.mjs's order.
    ...NODE_SERVERS.filter(({ name }) => name === "node-http").map(({ name, path }) => ({ name, script: path })),
    { name: WEB_GLOBALS_FLOOR.name, script: WEB_GLOBALS_FLOOR.path },
    ...NODE_SERVERS.filter(({ name }) => name !== "node-http" && (!opts.only || opts.only.includes(name))).map(({ name, path }) => ({ name, script: path })),
    ...opts.extra.map(({ name, path }) => ({ name, script: path })),
  ];
  if (opts.servers) {
    await runGroup(
      "Servers: start → first 200 of GET /api/hello (× raw node:http)",
      servers.map(({ name, script }) => ({ name, count: () => countServer(script) })),
      opts,
    );
  }
  if (!opts.buildOutput) return;

  const work = mkdtempSync(join(tmpdir(), "nitrokit-bench-startup-"));
  try {
    const clis = [{ name: "nitrokit", path: join(root, "dist/cli.js") }, ...opts.clis];
    console.log(`\nBuilding examples/hello with --preset node and --preset aws-lambda (${clis.map(({ name }) => name).join(", ")})…`);
    const outputs = clis.map(({ name, path }) => ({
      name,
      node: buildHello(path, "node", join(work, name, "node/.output")),
      lambda: buildHello(path, "aws-lambda", join(work, name, "lambda/.output")),
    }));
    const bareLambda = writeBareLambda(work);
    const bareLambdaWebGlobals = writeBareLambda(work, { webGlobals: true });
    await runGroup(
      "Built output: `nitrokit build --preset node` (examples/hello), start → first 200 (× raw node:http)",
      [
        { name: "node-http", count: () => countServer(join(benchDir, "servers/node-http.mjs")) },
        { name: WEB_GLOBALS_FLOOR.name, count: () => countServer(WEB_GLOBALS_FLOOR.path) },
        ...outputs.map(({ name, node }) => ({ name: `${name} --preset node`, count: () => countServer(node) })),
      ],
      opts,
    );
    await runGroup(
      "Lambda: `--preset aws-lambda` (examples/hello), start → first event answered in-process (× a bare handler)",
      [
        { name: "bare handler", count: () => countLambda(bareLambda) },
        { name: "bare handler + web globals", count: () => countLambda(bareLambdaWebGlobals) },
        ...outputs.map(({ name, lambda }) => ({ name: `${name} --preset aws-lambda`, count: () => countLambda(lambda) })),
      ],
      opts,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
