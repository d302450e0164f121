/**
 * Graceful shutdown of `serve()` on SIGTERM/SIGINT, in a real child process: the
 * fixture (test/fixtures/graceful-server.ts) is bundled with esbuild, since Node 20
 * cannot run TypeScript, and spawned with `node`.
 */
import type { ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { rawRequest, tryConnect } from "../fixtures/http.js";
import { bundleFixture, spawnServer } from "../fixtures/child-server.js";

const here = dirname(fileURLToPath(import.meta.url));
const fixture = join(here, "../fixtures/graceful-server.ts");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ServerProcess {
  child: ChildProcess;
  port: number;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let fixtureBundle: { bundle: string; remove(): Promise<void> };
const children: ChildProcess[] = [];

beforeAll(async () => {
  fixtureBundle = await bundleFixture(fixture);
});

afterAll(async () => {
  await fixtureBundle.remove();
});

afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
});

/** Spawns the fixture and resolves once it prints `LISTENING <port>`. */
async function startServer(env: Record<string, string> = {}): Promise<ServerProcess> {
  const { match, ...server } = await spawnServer(fixtureBundle.bundle, { ready: /^LISTENING (\d+)$/, children, env });
  return { ...server, port: Number(match[1]) };
}

function track<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let settled = false;
  const tracked = promise.finally(() => {
    settled = true;
  });
  tracked.catch(() => {});
  return { promise: tracked, settled: () => settled };
}

describe("graceful shutdown (child process)", () => {
  it("on SIGTERM stops accepting, finishes the request in flight, runs the close hook and exits 0", async () => {
    const server = await startServer();
    const base = `http://127.0.0.1:${server.port}`;
    expect((await rawRequest(`${base}/hello`)).status).toBe(200);

    // Long enough that, on a loaded 2-core CI machine, the refused-connection check below finishes first.
    const slow = track(rawRequest(`${base}/slow?ms=3000`));
    await expect.poll(server.stdout, { timeout: 5_000, interval: 10 }).toContain("SLOW_START");
    await sleep(100);
    server.child.kill("SIGTERM");

    // New connections are refused while the slow request is still being served.
    await expect.poll(() => tryConnect(server.port), { timeout: 2_000, interval: 25 }).toBe("ECONNREFUSED");
    expect(slow.settled()).toBe(false);
    expect(server.child.exitCode).toBe(null);

    const res = await slow.promise;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ slow: true, ms: 3000 });

    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.stdout()).toContain("CLOSE_HOOK_RAN");
    expect(server.stderr()).toBe("");
  });

  it("takes the graceful timeout from NITRO_SHUTDOWN_TIMEOUT (a 5 s request outlives 300 ms, not the 10 s default)", async () => {
    const server = await startServer({ NITRO_SHUTDOWN_TIMEOUT: "300" });
    const slow = track(rawRequest(`http://127.0.0.1:${server.port}/slow?ms=5000`));
    await expect.poll(server.stdout, { timeout: 5_000, interval: 10 }).toContain("SLOW_START");
    server.child.kill("SIGTERM");
    await expect(slow.promise).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });

  it("leaves SIGTERM to Node with NITRO_SHUTDOWN_DISABLED=true: the process dies at once", async () => {
    const server = await startServer({ NITRO_SHUTDOWN_DISABLED: "true" });
    const slow = track(rawRequest(`http://127.0.0.1:${server.port}/slow?ms=5000`));
    await expect.poll(server.stdout, { timeout: 5_000, interval: 10 }).toContain("SLOW_START");
    server.child.kill("SIGTERM");
    expect(await server.exited).toEqual({ code: null, signal: "SIGTERM" });
    await expect(slow.promise).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(server.stdout()).not.toContain("CLOSE_HOOK_RAN");
  });

  it("cuts off a request that outlives the graceful timeout, and still exits 0", async () => {
    const server = await startServer({ GRACEFUL_TIMEOUT: "300" });
    const slow = track(rawRequest(`http://127.0.0.1:${server.port}/slow?ms=5000`));
    await expect.poll(server.stdout, { timeout: 5_000, interval: 10 }).toContain("SLOW_START");
    const signalledAt = Date.now();
    server.child.kill("SIGTERM");

    await expect(slow.promise).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(await server.exited).toEqual({ code: 0, signal: null });
    // Well before the 5 s handler would have answered: the 300 ms timeout cut it.
    expect(Date.now() - signalledAt).toBeLessThan(4_000);
    expect(server.stdout()).toContain("CLOSE_HOOK_RAN");
  });

  it("does not wait for idle kept-alive connections", async () => {
    const server = await startServer();
    // fetch (undici) keeps its socket open after the response.
    const res = await fetch(`http://127.0.0.1:${server.port}/hello`);
    expect(await res.json()).toEqual({ message: "Hello" });
    const signalledAt = Date.now();
    server.child.kill("SIGTERM");
    expect(await server.exited).toEqual({ code: 0, signal: null });
    // Far below the default 10 s graceful timeout.
    expect(Date.now() - signalledAt).toBeLessThan(5_000);
    expect(server.stdout()).toContain("CLOSE_HOOK_RAN");
  });

  it("with two servers in one process, waits for both before exiting", async () => {
    const server = await startServer({ SECOND_SERVER: "1" });
    const secondPort = Number(/^LISTENING2 (\d+)$/m.exec(server.stdout())?.[1]);
    const slow = track(rawRequest(`http://127.0.0.1:${secondPort}/slow?ms=800`));
    await expect.poll(server.stdout, { timeout: 5_000, interval: 10 }).toContain("SLOW_START");
    server.child.kill("SIGTERM");
    const res = await slow.promise;
    expect(res.status).toBe(200);
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.stdout()).toContain("CLOSE_HOOK_RAN\n");
    expect(server.stdout()).toContain("CLOSE_HOOK_RAN_2\n");
  });

  it("handles SIGINT the same way", async () => {
    const server = await startServer();
    server.child.kill("SIGINT");
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.stdout()).toContain("CLOSE_HOOK_RAN");
  });
});
