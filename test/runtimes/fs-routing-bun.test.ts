import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI_PACKAGE_DIR, REPO_ROOT } from "../cli/cli-package.js";
import { listeningURL } from "../fixtures/child-server.js";
import { connect } from "../fixtures/ws-client.js";
import { json } from "../helpers.js";
import { bunBinary, targets } from "./launch.js";

const required = Boolean(process.env.CI || process.env.NITROKIT_REQUIRE_SERVICES);
const missing = targets.bun.missing();

/**
 * examples/fs-routing on the real Bun: its TypeScript files run as they are, the map comes
 * from `Bun.Glob` (as `import.meta.glob` would give it), and `nitrokit` is the built package
 * (test/cli's build) linked into a scratch project, as an install would put it.
 */
describe.skipIf(missing && !required)(`examples/fs-routing on bun${missing ? ` (skipped: ${missing})` : ""}`, () => {
  let child: ChildProcess | undefined;
  let dir: string | undefined;
  afterAll(() => {
    child?.kill("SIGKILL");
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("serves the tree, its middleware and its WebSocket route, and stops on SIGTERM", async () => {
    if (missing) throw new Error(`${missing}; CI requires every runtime.`);
    dir = mkdtempSync(join(tmpdir(), "nitrokit-fs-bun-"));
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(CLI_PACKAGE_DIR, join(dir, "node_modules", "nitrokit"), "dir");
    cpSync(join(REPO_ROOT, "examples", "fs-routing"), dir, { recursive: true });
    child = spawn(bunBinary()!, ["run", "bun.ts"], {
      cwd: dir,
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", HOME: dir, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child!.once("exit", (code) => resolve(code)));
    const { url: base, output } = await listeningURL(child, { what: "bun" });

    expect(output()).toContain("6 routes, 4 middleware, 1 task(s) on Bun");
    expect(await (await fetch(`${base}/api/hello`)).json()).toEqual({ message: "Hello from Nitro!" });
    expect(await (await fetch(`${base}/api/users/7`)).json()).toMatchObject({ userId: "7" });
    expect((await fetch(`${base}/api/users`, json({ email: "x" }))).status).toBe(400);
    expect(await (await fetch(`${base}/api/a/b`)).json()).toMatchObject({ path: "a/b", segments: ["a", "b"] });
    expect((await fetch(`${base}/api/protected`)).status).toBe(401);
    const ws = await connect(`${base.replace(/^http/, "ws")}/_ws`);
    await ws.next((m) => m.type === "welcome");
    ws.ws.send(JSON.stringify({ type: "ping" }));
    await ws.next((m) => m.type === "pong");
    ws.ws.terminate();
    expect(output()).toMatch(/Middleware chain[\s\S]*GET \/api\/hello/);

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 60_000);
});
