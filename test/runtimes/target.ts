/**
 * What the shared runtime suite (suite.ts) runs against: a target starts `examples/portable`
 * somewhere and hands back a way to send it requests. Process targets (launch.ts) serve it on
 * a loopback port from their own Node, Bun, Deno or workerd process; in-process targets
 * (in-process.ts) call a platform handler (`nitrokit/aws-lambda`, `nitrokit/netlify`) with the
 * platform's own call shape, without a port.
 */

/**
 * The suite's capability list: what some cases need beyond `fetch(request) → response`.
 * A target that lacks one names it in {@link RuntimeTarget.unsupported} with the reason,
 * and every case needing it is reported as skipped with that reason (never left out silently).
 */
export const SUITE_CAPABILITIES = {
  /** Raw HTTP written to the port: a declared body over the limit is refused before it arrives. */
  socket: "a TCP socket",
  /** A WebSocket client connecting to the app's `/_ws` route. */
  websocket: "WebSocket upgrades",
  /** `scheduledTasks` fired by the app's own timers, or by the platform's cron triggers (`triggerCron`). */
  scheduler: "cron-triggered tasks",
  /** SIGTERM (or dispose): requests in flight finish, WebSocket peers get 1001, the process exits 0. */
  shutdown: "a server to stop gracefully",
} as const;

export type Capability = keyof typeof SUITE_CAPABILITIES;

/** The portable example, started by a target for one suite run. */
export interface RunningRuntime {
  /** Sends `path` (with `init`) to the app the way its platform delivers requests, and resolves with the response the client gets. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** `http://127.0.0.1:<port>` for targets serving on a port (needed by the `socket`, `websocket` and `shutdown` cases). */
  readonly base?: string;
  /** Fires a cron trigger the way the platform does (workerd only; the others run their own scheduler). */
  triggerCron?(cron: string, scheduledTime: number): Promise<{ outcome: string }>;
  /** Asks the runtime to stop the way its platform does (SIGTERM; workerd: dispose) and resolves with how it ended. */
  stop(): Promise<{ code: number | null; signal: string | null }>;
  /** Ends whatever is left (after a failed test, or the last one). */
  kill(): Promise<void>;
  /** What the runtime printed so far. */
  log(): string;
}

export interface RuntimeTarget {
  name: "node" | "bun" | "deno" | "workerd" | "aws-lambda" | "netlify";
  /** How the suite is titled, when one runtime runs in more than one setup. */
  label?: string;
  /**
   * What the app's routes report as the JavaScript runtime, when it is not `name`: the
   * in-process platform targets run their handler on the test's own Node.
   */
  runtime?: "node";
  /** Capabilities this target does not have, each with why; the suite skips their cases naming the reason. */
  unsupported?: Partial<Record<Capability, string>>;
  /** Why this runtime cannot run here, or `undefined` when it can. */
  missing(): string | undefined;
  /** Starts the portable example with `env` in its environment. */
  start(env: Record<string, string>): Promise<RunningRuntime>;
}
