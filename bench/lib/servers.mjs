// The servers the bench scripts compare, listed once. Each script used to write out its own copy
// of these lists (http.mjs, instructions.mjs, js-cost.mjs, cpu.mjs, cold-start.mjs,
// startup-instructions.mjs, bun-routes.mjs, bun-served.mjs), so a server added to bench/servers/
// reached some scripts and not others. A script that runs a subset or its own variants derives
// them from these lists by name.
//
// Every entry: `name` (what `--only` takes and the tables print), `label` (bench/http.mjs's
// tables), `path` (the script, absolute); where it applies, `env` (set for the server's process),
// `runtime: "bun"`, `workers` (processes the server runs: bench/http.mjs pins it to as many cores)
// and `optional` (bench/http.mjs runs it only when `--only` names it).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const benchDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const node = (file) => join(benchDir, "servers", file);
const bun = (file) => join(benchDir, "bun-servers", file);

/**
 * The Node servers of bench/servers/ that every Node bench compares, in the order they print:
 * raw node:http (the baseline every ratio divides by), the bare peers, then nitrokit bare and
 * full stack. Each answers GET /api/hello and /api/users/:id on $PORT.
 */
export const NODE_SERVERS = [
  { name: "node-http", label: "node:http (raw)", path: node("node-http.mjs") },
  { name: "h3", label: "h3 (serve)", path: node("h3.mjs") },
  { name: "hono", label: "hono (node-server)", path: node("hono.mjs") },
  { name: "fastify", label: "fastify", path: node("fastify.mjs") },
  { name: "nitrokit-bare", label: "nitrokit bare", path: node("nitrokit-bare.mjs") },
  { name: "nitrokit-full", label: "nitrokit full stack*", path: node("nitrokit-full.mjs") },
];

/**
 * The start-up floor of a server on h3 (bench/servers/node-http-web-globals.mjs): raw node:http
 * with Node's web globals loaded, which h3's import loads. cold-start.mjs and
 * startup-instructions.mjs print it under the baseline, so a start's ratio reads against both.
 */
export const WEB_GLOBALS_FLOOR = { name: "node-http+web", label: "node:http + web globals (floor)", path: node("node-http-web-globals.mjs") };

/** The names of NODE_SERVERS, in their order (what the scripts' `--only` accepts and their help lists). */
export const NODE_SERVER_NAMES = NODE_SERVERS.map(({ name }) => name);

/** Variants of the Node servers that only bench/http.mjs runs (it follows NODE_SERVERS with them). */
export const NODE_SERVER_VARIANTS = [
  // The full stack with `tracing: true`, spans kept by OpenTelemetry's in-memory exporter: the cost of tracing on.
  { name: "nitrokit-traced", label: "nitrokit full + tracing†", path: node("nitrokit-full.mjs"), env: { NITROKIT_BENCH_TRACING: "memory" } },
  // Not in the default set: h3 through node:http + toNodeHandler.
  { name: "h3-node", label: "h3 (toNodeHandler)", path: node("h3-node.mjs"), optional: true },
  // Not in the default set: nitrokit bare on 2 worker processes (`serve(app, { workers: 2 })`);
  // compare it with nitrokit-bare, one process on one core.
  { name: "nitrokit-cluster", label: "nitrokit cluster×2†", path: node("nitrokit-cluster.mjs"), optional: true, workers: 2 },
];

/**
 * The servers of bench/bun-servers/, run by the bun binary of node_modules: a fetch-only
 * Bun.serve (the baseline), Elysia, Hono, h3, nitrokit bare and full stack. Their names are those
 * of the Node servers they match (bench/http.mjs --bun prints them side by side).
 */
export const BUN_SERVERS = [
  { name: "bun-bare", label: "Bun.serve (fetch only)", path: bun("bun-bare.mjs") },
  { name: "elysia", label: "elysia", path: bun("elysia-bun.mjs") },
  { name: "hono", label: "hono", path: bun("hono-bun.mjs") },
  { name: "h3", label: "h3 (srvx)", path: bun("h3-bun.mjs") },
  { name: "nitrokit-bare", label: "nitrokit bare", path: bun("nitrokit-bun.mjs") },
  { name: "nitrokit-full", label: "nitrokit full stack*", path: bun("nitrokit-full-bun.mjs") },
].map((server) => ({ ...server, runtime: "bun" }));

/** Variants of the Bun servers that only bench/http.mjs runs, with `--only`: the full stack with Bun's native `routes` forced on or off (A/B of serve()'s `nativeRoutes`). */
export const BUN_SERVER_VARIANTS = [
  { name: "nitrokit-full-routes", label: "nitrokit full, routes", path: bun("nitrokit-full-bun.mjs"), env: { NATIVE_ROUTES: "1" }, optional: true },
  { name: "nitrokit-full-fetch", label: "nitrokit full, fetch", path: bun("nitrokit-full-bun.mjs"), env: { NATIVE_ROUTES: "0" }, optional: true },
].map((server) => ({ ...server, runtime: "bun" }));

/** The entry of `list` named `name`; throws when there is none (a script asking for a server this module no longer lists). */
export function serverNamed(list, name) {
  const server = list.find((entry) => entry.name === name);
  if (!server) throw new Error(`no server named ${name} (known: ${list.map((entry) => entry.name).join(", ")})`);
  return server;
}
