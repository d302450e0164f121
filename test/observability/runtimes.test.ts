import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Miniflare } from "miniflare";
import { bundleForServer, bundleForWorkerd } from "../runtimes/bundle.js";
import { bunBinary, denoBinary, targets } from "../runtimes/launch.js";

const required = Boolean(process.env.CI || process.env.NITROKIT_REQUIRE_SERVICES);
const runtimes = [
  { name: "node", binary: () => process.execPath, args: [] as string[] },
  { name: "bun", binary: bunBinary, args: ["run"] },
  { name: "deno", binary: denoBinary, args: ["run", "-A"] },
];

const scratch = mkdtempSync(join(tmpdir(), "nitrokit-tracing-runtimes-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The span tree the fixtures' request makes: [span, parent]; the server span's parent is the incoming traceparent's span. */
const EXPECTED_TREE = [
  ["GET /products/:sku", "00f067aa0ba902b7"],
  ["middleware authenticate", "GET /products/:sku"],
  ["handler GET /products/:sku", "GET /products/:sku"],
  ["cache price", "handler GET /products/:sku"],
  ["storage getItem", "cache price"],
  ["storage setItem", "cache price"],
  ["storage getItem", "handler GET /products/:sku"],
].sort();
const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

function expectTree(spans: Array<[string, string | null, string]>): void {
  expect(spans.map(([span, parent]) => [span, parent]).sort()).toEqual(EXPECTED_TREE);
  expect(new Set(spans.map(([, , traceId]) => traceId))).toEqual(new Set([TRACE_ID]));
}

describe.each(runtimes)("tracing on $name", ({ name, binary, args }) => {
  const missing = binary() ? undefined : `${name} is not installed`;
  it.skipIf(missing !== undefined && !required)("nests the spans of one request under its server span, in the incoming trace", async () => {
    if (missing) throw new Error(`${missing}; CI requires every runtime.`);
    const script = await bundleForServer("test/observability/fixtures/traced-app.mjs", `traced-app-${name}`);
    try {
      const run = spawnSync(binary()!, [...args, script], {
        cwd: scratch,
        encoding: "utf8",
        timeout: 30_000,
        env: { ...process.env, DENO_DIR: join(scratch, ".deno"), NO_COLOR: "1" },
      });
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
      expectTree(JSON.parse(run.stdout.trim().split("\n").at(-1)!) as Array<[string, string | null, string]>);
    } finally {
      rmSync(script, { force: true });
    }
  });
});

describe("tracing on workerd (Cloudflare Workers)", () => {
  const missing = targets.workerd.missing();
  it.skipIf(missing !== undefined && !required)("gives the same tree with OpenTelemetry registered in the module scope (nodejs_compat)", async () => {
    if (missing) throw new Error(`${missing}; CI requires every runtime.`);
    const dir = mkdtempSync(join(tmpdir(), "nitrokit-tracing-workerd-"));
    const mf = new Miniflare({
      modules: [{ type: "ESModule", path: join(dir, "worker.mjs"), contents: await bundleForWorkerd("test/observability/fixtures/traced-worker.mjs") }],
      modulesRoot: dir,
      compatibilityDate: "2025-09-15",
      compatibilityFlags: ["nodejs_compat"],
    });
    try {
      const response = await mf.dispatchFetch("http://localhost/products/p-1", { headers: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` } });
      expect(await response.json()).toEqual({ sku: "p-1", price: 12, note: null });
      expectTree((await (await mf.dispatchFetch("http://localhost/spans")).json()) as Array<[string, string | null, string]>);
    } finally {
      await mf.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
