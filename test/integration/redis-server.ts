import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { connect, createServer, type AddressInfo } from "node:net";
import { describe } from "vitest";

/** True when a `redis-server` binary is on PATH. */
function hasRedisServer(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

/**
 * `describe` for tests that start, stop and restart a Redis of their own (never the
 * shared one). Skipped, saying so, without a `redis-server` binary; with
 * NITROKIT_REQUIRE_SERVICES=1 a missing binary fails instead.
 */
export function describeWithRedisServer(title: string, body: () => void): void {
  if (hasRedisServer()) {
    describe(title, body);
  } else if (process.env.NITROKIT_REQUIRE_SERVICES) {
    describe(title, () => {
      throw new Error("No redis-server binary on PATH, and NITROKIT_REQUIRE_SERVICES requires it.");
    });
  } else {
    console.warn(`[nitrokit tests] skipped: ${title} (no redis-server binary on PATH)`);
    describe.skip(`${title} (skipped: no redis-server binary)`, body);
  }
}

/** A free loopback TCP port. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A throwaway `redis-server` on `port`: no persistence, so a restart starts empty. */
export class OwnRedis {
  #child: ChildProcess | undefined;
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it and resolves once it answers PING. */
  async start(): Promise<void> {
    const child = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    this.#child = child;
    const deadline = Date.now() + 10_000;
    while (!(await this.#pong())) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server on port ${this.port} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Stops it (as a crash would: SIGKILL) and resolves once it has exited. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  /** Freezes it (SIGSTOP): connections stay open and commands hang unanswered. */
  freeze(): void {
    this.#child?.kill("SIGSTOP");
  }

  /** Resumes a frozen server. */
  thaw(): void {
    this.#child?.kill("SIGCONT");
  }

  #pong(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect({ port: this.port, host: "127.0.0.1" });
      socket.once("error", () => resolve(false));
      socket.once("connect", () => socket.write("PING\r\n"));
      socket.once("data", (data) => {
        socket.destroy();
        resolve(data.toString().startsWith("+PONG"));
      });
    });
  }
}
