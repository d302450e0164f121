// What the start-up benches share (cold-start.mjs, startup-instructions.mjs): a free port, one GET,
// the built outputs of examples/hello and the bare Lambda handler they are compared with, a median.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { dirname, join } from "node:path";

/** A TCP port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** One GET; resolves `{ status, body }`, rejects on a connection error. `agent`: false for a fresh connection. */
export function get(port, path, agent = false) {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, agent }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode, body }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/**
 * `nitrokit build --preset <preset>` of examples/hello with the CLI at `cli` (a repository's
 * dist/cli.js), into `outDir`; the path of the built entry. The example is the CLI's own
 * repository's, whose `nitrokit` imports resolve to that repository's dist/, so the output holds
 * the runtime of the same build.
 */
export function buildHello(cli, preset, outDir) {
  const example = join(dirname(cli), "..", "examples/hello");
  const result = spawnSync(process.execPath, [cli, "build", "app.mjs", "--preset", preset, "--outDir", outDir], { cwd: example, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`nitrokit build --preset ${preset} (${cli}) failed:\n${result.stdout}${result.stderr}`);
  return join(outDir, "server/index.mjs");
}

/**
 * Writes the Lambda baseline into `dir`: a handler returning examples/hello's JSON and nothing
 * else; with `webGlobals`, the same handler in a module that first loads Node's web globals, the
 * floor of a Lambda handler that turns events into web Requests (bench/servers/node-http-web-globals.mjs).
 */
export function writeBareLambda(dir, { webGlobals = false } = {}) {
  const path = join(dir, webGlobals ? "bare-lambda-web-globals.mjs" : "bare-lambda.mjs");
  writeFileSync(
    path,
    `${webGlobals ? "void globalThis.Response;\n" : ""}export const handler = async () => ({ statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ message: "Hello from Nitro!" }) });\n`,
  );
  return path;
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
