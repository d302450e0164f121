#!/usr/bin/env node
// Filesystem routing's boot, counted: machine instructions from process start to the first answer
// (GET /api/s0/r0) of bench/servers/boot-fs-routes.mjs on the generated trees of 10 and 1,000 route
// files, and their ratio (DESIGN.md §6: 1,000 lazy routes ≤ 1.1× 10). The deterministic
// counterpart of bench/boot.mjs, whose wall and CPU times move by ±3–10% per run here.
//
//   node bench/boot-instructions.mjs [--runs N=2] [--jobs N=2] [--counts 10,1000] [--server name=/abs/boot-fs-routes.mjs]
//
// Counted as bench/startup-instructions.mjs counts servers: valgrind's callgrind over the whole
// process, V8 made deterministic, and a preload (bench/lib/exit-after-first-response.mjs) that
// exits the process once its first response is handed to the socket. The trees are (re)generated
// in bench/.boot/ (bench/lib/boot-trees.mjs). `--server name=path` (repeatable) counts another
// build's copy of the server script (e.g. a worktree of an earlier commit, built: it loads its
// own dist/) on the same trees; each variant's ratio is to its own smallest tree. Build first
// (`npm run build`): the server loads dist/.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { commaList, namedPaths, parseFlags, positiveInt } from "./lib/args.mjs";
import { generateTree } from "./lib/boot-trees.mjs";
import { assertValgrind, countInstructions, pool, V8_DETERMINISTIC } from "./lib/callgrind.mjs";
import { ensureBuild } from "./lib/setup.mjs";
import { get, median } from "./lib/start-up.mjs";

const benchDir = dirname(fileURLToPath(import.meta.url));
const FIRST_REQUEST = "/api/s0/r0";

const USAGE = "usage: node bench/boot-instructions.mjs [--runs N=2] [--jobs N=2] [--counts 10,1000] [--server name=/abs/boot-fs-routes.mjs]";

function readOptions() {
  const { values } = parseFlags(
    { runs: { type: "string", default: "2" }, jobs: { type: "string", default: "2" }, counts: { type: "string", default: "10,1000" }, server: { type: "string", multiple: true, default: [] } },
    USAGE,
  );
  const counts = commaList(values.counts).map(Number);
  if (counts.length < 2 || counts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error("--counts expects two or more positive integers");
  return {
    runs: positiveInt("--runs", values.runs),
    jobs: positiveInt("--jobs", values.jobs),
    counts,
    // A relative path is taken from the repository's root, where countInstructions runs the server.
    servers: namedPaths("--server", values.server, "/abs/path/boot-fs-routes.mjs", join(benchDir, "..")).map(({ name, path }) => ({ name, script: path })),
  };
}

/** One start of `script` on `tree`, counted up to its first answer; checks that answer. */
function countBoot(script, tree) {
  const preload = join(benchDir, "lib/exit-after-first-response.mjs");
  return countInstructions(["--import", preload, script, tree], {}, (exited, child) => {
    // The server prints `LISTENING <port>` once it listens (on a port of its choosing).
    const listening = new Promise((resolvePort, reject) => {
      let stdout = "";
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
        const port = /^LISTENING (\d+)/m.exec(stdout)?.[1];
        if (port) resolvePort(Number(port));
      });
      void exited.then(() => reject(new Error(`${script} ${tree} exited before listening: ${stdout}`)));
    });
    return listening.then(async (port) => {
      const { status, body } = await get(port, FIRST_REQUEST);
      if (status !== 200 || !body.includes('"route":0')) throw new Error(`${script}: ${FIRST_REQUEST} answered ${status} ${body}`);
    });
  }).then(({ instructions }) => instructions);
}

async function main() {
  const opts = readOptions();
  assertValgrind();
  ensureBuild(false, "dist/routing/index.js");
  const trees = opts.counts.map((count) => ({ count, dir: generateTree(count) }));
  const variants = [{ name: "", script: join(benchDir, "servers/boot-fs-routes.mjs") }, ...opts.servers.map(({ name, script }) => ({ name: ` (${name})`, script }))];
  console.log(`node ${process.version}, V8 ${V8_DETERMINISTIC.join(" ")}, ${opts.runs} runs each, ${opts.jobs} at a time; start → first answer to GET ${FIRST_REQUEST}; medians`);

  const subjects = variants.flatMap((variant) => trees.map((tree) => ({ name: `${tree.count} files${variant.name}`, variant, tree })));
  const tasks = [];
  for (let run = 0; run < opts.runs; run++) for (const subject of subjects) tasks.push(async () => ({ subject, count: await countBoot(subject.variant.script, subject.tree.dir) }));
  const counts = new Map(subjects.map((subject) => [subject, []]));
  for (const { subject, count } of await pool(tasks, opts.jobs)) counts.get(subject).push(count);

  const smallest = (variant) => median(counts.get(subjects.find((subject) => subject.variant === variant)));
  console.table(
    subjects.map((subject) => {
      const runs = counts.get(subject);
      const base = smallest(subject.variant);
      const extraFiles = subject.tree.count - trees[0].count;
      return {
        subject: subject.name,
        "instructions (M)": (median(runs) / 1e6).toFixed(1),
        [`× ${trees[0].count} files`]: (median(runs) / base).toFixed(3),
        "M per extra file": extraFiles > 0 ? ((median(runs) - base) / extraFiles / 1e6).toFixed(4) : "",
        runs: runs.map((count) => (count / 1e6).toFixed(1)).join(", "),
      };
    }),
  );
  console.log("Target: the largest tree ≤ 1.1× the smallest (DESIGN.md §6).");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
