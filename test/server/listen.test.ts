import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundleForServer } from "../runtimes/bundle.js";
import { bunBinary, denoBinary } from "../runtimes/launch.js";

/**
 * The server layer (src/server/) as each runtime's `serve()` uses it, in a real Node,
 * Bun and Deno process: NITRO_PORT read when no port is given, the "Listening on" line,
 * the same "port in use" answer everywhere (it was Node's alone before), an invalid port refused.
 */

const runtimes = [
  { name: "node", binary: () => process.execPath, args: [] as string[] },
  { name: "bun", binary: bunBinary, args: ["run"] },
  { name: "deno", binary: denoBinary, args: ["run", "-A"] },
];

const bundles: string[] = [];
afterAll(() => bundles.forEach((file) => rmSync(file, { force: true })));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function run(binary: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cwd = mkdtempSync(join(tmpdir(), "nitrokit-listen-"));
  const { PORT: _port, HOST: _host, ...inherited } = process.env;
  const child = spawn(binary, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...inherited, ...env, HOME: cwd, DENO_DIR: join(cwd, ".deno"), NO_COLOR: "1" } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve) =>
    child.on("exit", (code) => {
      rmSync(cwd, { recursive: true, force: true });
      resolve({ code, stdout, stderr });
    }),
  );
}

describe.each(runtimes)("serve() on $name through the shared server layer", ({ name, binary, args }) => {
  const bin = binary();
  it.skipIf(!bin)("reads NITRO_PORT, prints the banner, answers a port in use and an invalid port the same way", async () => {
    const script = await bundleForServer("test/server/fixtures/listen.mjs", `listen-${name}`);
    bundles.push(script);
    const port = await freePort();
    const { code, stdout, stderr } = await run(bin!, [...args, script], { NITRO_PORT: String(port) });
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout.trim().split("\n").at(-1)!);
    expect(result).toEqual({
      port,
      url: `http://127.0.0.1:${port}/`,
      inUse: expect.stringContaining(`[nitrokit] Port ${port} is already in use (try another with { port } or PORT).`),
      invalid: 'RangeError: [nitrokit] serve(): invalid port "http".',
    });
    expect(stdout).toContain(`[nitrokit] Listening on http://127.0.0.1:${port}/\n`);
    expect(stderr).toContain(`[nitrokit] Port ${port} is already in use`);
  });
});
