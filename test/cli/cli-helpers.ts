import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach } from "vitest";
import { CLI_BIN, CLI_PACKAGE_DIR, REPO_ROOT } from "./cli-package.js";

/** A temporary project with `nitrokit` installed (linked to the test build), as a user has it. */
export interface CliProject {
  readonly dir: string;
  path(file: string): string;
  write(file: string, content: string): void;
  read(file: string): string;
}

/** How a CLI process ended. */
export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A `nitrokit` process that keeps running (serve, dev). */
export interface RunningCli {
  readonly child: ChildProcess;
  /** Everything it printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the output once `pattern` shows up in what was printed after `from` (default: the start). */
  waitFor(pattern: RegExp | string, options?: { from?: number; timeout?: number }): Promise<string>;
  /** The Local URL from the banner, without the trailing slash. */
  url(): Promise<string>;
  readonly exited: Promise<CliExit>;
  stop(signal?: NodeJS.Signals): Promise<CliExit>;
}

/**
 * Per test file: makes temporary projects and starts CLI processes, and after each
 * test kills the processes still running and removes the projects.
 */
export function cliFixtures(): {
  project(files?: Record<string, string>, options?: { copyExample?: string }): CliProject;
  start(args: string[], options: { cwd: string; env?: Record<string, string> }): RunningCli;
  run(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliExit & { stdout: string; stderr: string }>;
} {
  const dirs: string[] = [];
  const running: RunningCli[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((cli) => cli.stop("SIGKILL")));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  return {
    project(files = {}, options = {}) {
      const dir = mkdtempSync(join(tmpdir(), "nitrokit-cli-"));
      dirs.push(dir);
      mkdirSync(join(dir, "node_modules"));
      symlinkSync(CLI_PACKAGE_DIR, join(dir, "node_modules", "nitrokit"), "dir");
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
      if (options.copyExample) cpSync(join(REPO_ROOT, "examples", options.copyExample), dir, { recursive: true });
      const project: CliProject = {
        dir,
        path: (file) => join(dir, file),
        write(file, content) {
          mkdirSync(dirname(join(dir, file)), { recursive: true });
          writeFileSync(join(dir, file), content);
        },
        read: (file) => readFileSync(join(dir, file), "utf8"),
      };
      for (const [file, content] of Object.entries(files)) project.write(file, content);
      return project;
    },

    start(args, options) {
      const cli = startCli(args, options);
      running.push(cli);
      return cli;
    },

    run(args, options) {
      const cli = startCli(args, options);
      let stdout = "";
      let stderr = "";
      cli.child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk));
      cli.child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk));
      const timer = setTimeout(() => cli.child.kill("SIGKILL"), 15_000);
      return cli.exited.then((exit) => {
        clearTimeout(timer);
        return { ...exit, stdout, stderr };
      });
    },
  };
}

function startCli(args: string[], options: { cwd: string; env?: Record<string, string> }): RunningCli {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", ...options.env };
  // The outer environment must not choose the port or the mode.
  for (const key of ["PORT", "HOST", "NITROKIT_DEV"]) if (!options.env || !(key in options.env)) delete env[key];
  const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd: options.cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk;
    for (const listener of listeners) listener();
  };
  child.stdout.on("data", append);
  child.stderr.on("data", append);
  const exited = new Promise<CliExit>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  let done = false;
  void exited.then(() => {
    done = true;
    for (const listener of listeners) listener();
  });

  const waitFor: RunningCli["waitFor"] = (pattern, { from = 0, timeout = 15_000 } = {}) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const seen = output.slice(from);
        if (typeof pattern === "string" ? seen.includes(pattern) : pattern.test(seen)) {
          finish();
          resolve(output);
        } else if (done) {
          finish();
          reject(new Error(`nitrokit exited before printing ${pattern}:\n${output}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`Timed out waiting for ${pattern} from nitrokit:\n${output}`));
      }, timeout);
      const finish = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });

  return {
    child,
    output: () => output,
    waitFor,
    async url() {
      const text = await waitFor(/Local:\s+http:\/\/\S+/);
      return /Local:\s+(http:\/\/\S+?)\/?\s/.exec(text)![1]!;
    },
    exited,
    async stop(signal = "SIGTERM") {
      if (!done) child.kill(signal);
      return exited;
    },
  };
}
