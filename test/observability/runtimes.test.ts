import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundleForServer } from "../runtimes/bundle.js";
import { bunBinary, denoBinary } from "../runtimes/launch.js";

const required = Boolean(process.env.CI || process.env.NITROKIT_REQUIRE_SERVICES);
const runtimes = [
  { name: "node", binary: () => process.execPath, args: [] as string[] },
  { name: "bun", binary: bunBinary, args: ["run"] },
  { name: "deno", binary: denoBinary, args: ["run", "-A"] },
];

const scratch = mkdtempSync(join(tmpdir(), "nitrokit-tracing-runtimes-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

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
      const spans = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as Array<[string, string | null, string]>;
      expect(spans.map(([span, parent]) => [span, parent]).sort()).toEqual(
        [
          ["GET /products/:sku", "00f067aa0ba902b7"],
          ["middleware authenticate", "GET /products/:sku"],
          ["handler GET /products/:sku", "GET /products/:sku"],
          ["cache price", "handler GET /products/:sku"],
          ["storage getItem", "cache price"],
          ["storage setItem", "cache price"],
          ["storage getItem", "handler GET /products/:sku"],
        ].sort(),
      );
      expect(new Set(spans.map(([, , traceId]) => traceId))).toEqual(new Set(["4bf92f3577b34da6a3ce929d0e0e4736"]));
    } finally {
      rmSync(script, { force: true });
    }
  });
});
