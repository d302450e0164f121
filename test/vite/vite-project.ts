import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { CLI_PACKAGE_DIR, REPO_ROOT } from "../cli/cli-package.js";

/** The real `vite` package (a devDependency), run by its bin as `npm run dev` would. */
const VITE_BIN = join(REPO_ROOT, "node_modules", "vite", "bin", "vite.js");

/** A copy of examples/vite in a temporary folder, with `nitrokit` (test/cli's build) and `vite` linked in as an install would. */
export interface ViteProject {
  readonly dir: string;
  path(file: string): string;
  read(file: string): string;
  /** Writes a file (successive writes to one file at least 60 ms apart: see the body). */
  write(file: string, text: string): Promise<void>;
  /** Runs `vite <args>` in the project until it exits. */
  run(args: string[]): Promise<{ code: number | null; output: string }>;
  /** Starts `vite` (the dev server) on a free loopback port. */
  dev(): Promise<ViteDev>;
  remove(): void;
}

/** A running `vite` dev server. */
export interface ViteDev {
  readonly base: string;
  readonly child: ChildProcess;
  /** Everything it printed so far, colours stripped. */
  output(): string;
  /** Resolves once the output after offset `from` matches `pattern`. */
  waitFor(pattern: RegExp, from?: number, timeout?: number): Promise<void>;
  stop(): Promise<void>;
}

export function createViteProject(): ViteProject {
  const dir = mkdtempSync(join(tmpdir(), "nitrokit-vite-"));
  cpSync(join(REPO_ROOT, "examples", "vite"), dir, { recursive: true, filter: (source) => !/[\\/](node_modules|dist|\.output)$/.test(source) });
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(CLI_PACKAGE_DIR, join(dir, "node_modules", "nitrokit"), "dir");
  symlinkSync(join(REPO_ROOT, "node_modules", "vite"), join(dir, "node_modules", "vite"), "dir");
  const env = (): NodeJS.ProcessEnv => {
    const vars: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", HOME: dir };
    // Vitest's own settings would leak into the child Vite.
    for (const key of Object.keys(vars)) if (key.startsWith("VITEST") || key === "NODE_OPTIONS" || key === "TEST") delete vars[key];
    delete vars.NODE_ENV;
    return vars;
  };
  const lastWrite = new Map<string, number>();
  const project: ViteProject = {
    dir,
    path: (file) => join(dir, file),
    read: (file) => readFileSync(join(dir, file), "utf8"),
    async write(file, text) {
      // Vite's watcher (chokidar) drops a second change event on one path within 50 ms: an editor never
      // saves that fast, a test can, so successive writes to one file are spaced past that window.
      const path = join(dir, file);
      const wait = (lastWrite.get(path) ?? 0) + 60 - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      lastWrite.set(path, Date.now());
    },
    run(args) {
      const child = spawn(process.execPath, [VITE_BIN, ...args], { cwd: dir, env: env(), stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
      return new Promise((resolve) => child.once("close", (code) => resolve({ code, output: stripVTControlCharacters(output) })));
    },
    async dev() {
      const child = spawn(process.execPath, [VITE_BIN, "--port", "0", "--host", "127.0.0.1", "--clearScreen", "false"], { cwd: dir, env: env(), stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      const listeners = new Set<() => void>();
      const onData = (chunk: string) => {
        output += stripVTControlCharacters(chunk);
        for (const listener of listeners) listener();
      };
      child.stdout!.setEncoding("utf8").on("data", onData);
      child.stderr!.setEncoding("utf8").on("data", onData);
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      const waitFor = (pattern: RegExp, from = 0, timeout = 15_000) =>
        new Promise<void>((resolve, reject) => {
          const check = () => {
            if (!pattern.test(output.slice(from))) return;
            cleanup();
            resolve();
          };
          const timer = setTimeout(() => (cleanup(), reject(new Error(`vite did not print ${pattern} in time:\n${output.slice(from)}`))), timeout);
          const onExit = () => (cleanup(), reject(new Error(`vite exited:\n${output}`)));
          const cleanup = () => {
            clearTimeout(timer);
            listeners.delete(check);
            child.off("exit", onExit);
          };
          listeners.add(check);
          child.once("exit", onExit);
          check();
        });
      await waitFor(/Local:\s+http:\/\/127\.0\.0\.1:\d+/);
      const base = /Local:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!;
      return {
        base,
        child,
        output: () => output,
        waitFor,
        async stop() {
          if (child.exitCode === null) child.kill("SIGTERM");
          await exited;
        },
      };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  return project;
}

/** Polls `read` until `accept` holds for its result (a condition, not a sleep), failing after `timeout` ms. */
export async function pollUntil<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeout = 10_000): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (accept(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`condition not met in ${timeout} ms; last value: ${JSON.stringify(last)}${lastError ? `, last error: ${String(lastError)}` : ""}`);
}
