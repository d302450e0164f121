// Counting a process's machine instructions with valgrind (callgrind), shared by the start-up
// counts (startup-instructions.mjs, boot-instructions.mjs).
import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/**
 * V8 made deterministic: no background threads, a GC schedule that does not depend on timing, and
 * fixed seeds for string hashing and Math.random. With the first two only, the count of one start
 * moved by ~0.5% from run to run (1,000 route files: 1,065.6–1,073.3M over 4 runs): the hash seed,
 * random per process, decides collisions in every hash table (dictionary-mode objects such as a
 * router's table of 1,000 static routes, Maps, the string table). With the seeds fixed, 4 runs
 * gave 1,069.03–1,069.15M.
 */
export const V8_DETERMINISTIC = ["--single-threaded", "--predictable-gc-schedule", "--hash-seed=1", "--random-seed=1"];

/** Throws unless valgrind can be run. */
export function assertValgrind() {
  if (spawnSync("valgrind", ["--version"]).status !== 0) throw new Error("valgrind is not installed (apt-get install -y valgrind)");
}

/**
 * Runs `args` (node's) under callgrind from the repository's root; resolves the instructions it
 * executed and its stdout. `whileRunning(exited, child)` talks to it (its promise must settle).
 */
export function countInstructions(args, env, whileRunning) {
  return new Promise((resolveCount, reject) => {
    const child = spawn("valgrind", ["--tool=callgrind", "--callgrind-out-file=/dev/null", process.execPath, ...V8_DETERMINISTIC, ...args], {
      cwd: root,
      env: { ...process.env, NODE_ENV: "production", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
    const exited = new Promise((resolveExit) => child.once("exit", (code, signal) => resolveExit({ code, signal })));
    Promise.all([whileRunning?.(exited, child), exited])
      .then(([, { code, signal }]) => {
        const collected = /Collected : (\d+)/.exec(stderr)?.[1];
        if (code !== 0 || collected === undefined) throw new Error(`${args.join(" ")} exited (${code ?? signal}): ${stderr.slice(-2000)}`);
        resolveCount({ instructions: Number(collected), stdout });
      })
      .catch((error) => {
        child.kill("SIGKILL");
        reject(error);
      });
  });
}

/** Runs `tasks` (functions returning promises), `jobs` at a time, in order of start; prints progress. */
export async function pool(tasks, jobs) {
  const results = new Array(tasks.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
      process.stdout.write(`\r${++done}/${tasks.length} counted`);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  process.stdout.write("\n");
  return results;
}
