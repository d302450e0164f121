import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleForServer, bundleForWorkerd } from "./bundle.js";
import type { RuntimeTarget } from "./target.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

// Process targets: the portable example served on a loopback port by a real runtime in its own process.

/** The binaries as npm installs them: the wrapper package's copy (made by its install script), else the platform package's. */
function firstExisting(paths: string[]): string | undefined {
  return paths.map((path) => join(root, path)).find((path) => existsSync(path));
}
export const bunBinary = () => firstExisting(["node_modules/bun/bin/bun.exe", "node_modules/@oven/bun-linux-x64/bin/bun", "node_modules/@oven/bun-linux-x64-baseline/bin/bun"]);
export const denoBinary = () => firstExisting(["node_modules/deno/deno", "node_modules/@deno/linux-x64-glibc/deno"]);
const workerdBinary = () => firstExisting(["node_modules/@cloudflare/workerd-linux-64/bin/workerd"]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A free loopback port (the OS picks it). */
async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `url` until it answers 200, the process exits, or 30 s pass. */
async function waitUntilServing(url: string, exited: () => boolean, log: () => string, name: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !exited()) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${name} did not serve ${url}${exited() ? " (it exited)" : ""}:\n${log().slice(-2000)}`);
}

/** Node, Bun or Deno running `examples/portable/<name>.mjs` (bundled with our source) in a scratch working directory. */
function serverTarget(name: "node" | "bun" | "deno", binary: () => string | undefined, args: string[], variant?: { label: string; env: Record<string, string> }): RuntimeTarget {
  return {
    name,
    label: variant?.label,
    missing() {
      const bin = binary();
      if (!bin) return `no ${name} binary in node_modules (npm ci installs it from the '${name}' devDependency)`;
      // An install with --ignore-scripts leaves the wrapper's placeholder instead of the binary.
      const probe = spawnSync(bin, ["--version"], { encoding: "utf8", timeout: 20_000 });
      if (probe.status !== 0) return `${bin} does not run (${(probe.error?.message ?? probe.stderr ?? "").trim().slice(0, 200)}); reinstall without --ignore-scripts`;
      return undefined;
    },
    async start(env) {
      const bin = binary()!;
      const script = await bundleForServer(`examples/portable/${name}.mjs`, name);
      const port = await freePort();
      // Its own working directory (so `.data/` starts empty) and HOME (the runtimes write caches there).
      const cwd = mkdtempSync(join(tmpdir(), `nitrokit-${name}-`));
      const child = spawn(bin, [...args, script], {
        cwd,
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          ...process.env,
          ...env,
          // The app's own scheduler fires every second here (Workers get cron triggers instead).
          PORTABLE_TICK_CRON: "* * * * * *",
          // The server trusts X-Forwarded-* from loopback, where the test client is (see the trustProxy test).
          PORTABLE_TRUST_PROXY: "loopback",
          ...variant?.env,
          PORT: String(port),
          HOST: "127.0.0.1",
          HOME: cwd,
          DENO_DIR: join(cwd, ".deno"),
          NO_COLOR: "1",
        },
      });
      let output = "";
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
      let gone = false;
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
        child.on("exit", (code, signal) => {
          gone = true;
          resolve({ code, signal });
        }),
      );
      const cleanup = () => {
        rmSync(cwd, { recursive: true, force: true });
        rmSync(script, { force: true });
      };
      const kill = async () => {
        if (!gone) child.kill("SIGKILL");
        await exited;
        cleanup();
      };
      const base = `http://127.0.0.1:${port}`;
      try {
        await waitUntilServing(`${base}/api/hello`, () => gone, () => output, name);
      } catch (error) {
        await kill();
        throw error;
      }
      return {
        base,
        fetch: (path, init) => fetch(base + path, init),
        log: () => output,
        kill,
        async stop() {
          child.kill("SIGTERM");
          const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
          const result = await exited;
          clearTimeout(timer);
          cleanup();
          return result;
        },
      };
    },
  };
}

/** workerd through miniflare (its own process), running the Workers entry bundled as wrangler would. */
const workerdTarget: RuntimeTarget = {
  name: "workerd",
  missing: () => (workerdBinary() ? undefined : "no workerd binary in node_modules (npm ci installs it with the 'miniflare' devDependency)"),
  async start(env) {
    const { Miniflare, Log, LogLevel } = await import("miniflare");
    const contents = await bundleForWorkerd("examples/portable/worker.mjs");
    const dir = mkdtempSync(join(tmpdir(), "nitrokit-workerd-"));
    let output = "";
    const log = new (class extends Log {
      constructor() {
        super(LogLevel.INFO);
      }
      override log(message: string) {
        output += `${message}\n`;
      }
    })();
    const port = await freePort();
    const mf = new Miniflare({
      modules: [{ type: "ESModule", path: join(dir, "worker.mjs"), contents }],
      modulesRoot: dir,
      compatibilityDate: "2025-09-15",
      compatibilityFlags: ["nodejs_compat"],
      bindings: env,
      kvNamespaces: ["KV"],
      d1Databases: ["DB"],
      kvPersist: false,
      d1Persist: false,
      host: "127.0.0.1",
      port,
      log,
    });
    let disposed: Promise<void> | undefined;
    const dispose = () => (disposed ??= mf.dispose().finally(() => rmSync(dir, { recursive: true, force: true })));
    try {
      const url = await mf.ready;
      const base = url.href.replace(/\/$/, "");
      await waitUntilServing(`${base}/api/hello`, () => false, () => output, "workerd");
      return {
        base,
        fetch: (path, init) => fetch(base + path, init),
        log: () => output,
        async triggerCron(cron, scheduledTime) {
          const worker = (await mf.getWorker()) as unknown as { scheduled(options: { cron: string; scheduledTime: Date }): Promise<{ outcome: string }> };
          return worker.scheduled({ cron, scheduledTime: new Date(scheduledTime) });
        },
        async stop() {
          await dispose();
          return { code: 0, signal: null };
        },
        kill: () => dispose(),
      };
    } catch (error) {
      await dispose();
      throw error;
    }
  },
};

export const targets = {
  node: serverTarget("node", () => process.execPath, []),
  bun: serverTarget("bun", bunBinary, ["run"]),
  // The same answers with the app's static paths in Bun's native `routes` table.
  bunNativeRoutes: serverTarget("bun", bunBinary, ["run"], { label: "bun (nativeRoutes)", env: { PORTABLE_NATIVE_ROUTES: "1" } }),
  deno: serverTarget("deno", denoBinary, ["run", "-A"]),
  workerd: workerdTarget,
} satisfies Record<string, RuntimeTarget>;

