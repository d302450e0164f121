/**
 * The primary of a nitrokit cluster (`node:cluster`): forks the workers, which each
 * load the app and listen on the primary's shared handle; restarts a worker that
 * dies (with back-off); relays WebSocket publishes between workers; holds the task
 * lock; and on `close()` asks every worker to drain, then waits for them to exit.
 */
import type { Cluster, Worker } from "node:cluster";
import { LockTable } from "./lock-table.js";
import { CLUSTER_WORKER_ENV, isClusterMessage, type PrimaryMessage, type WorkerMessage } from "./protocol.js";

/** First restart delay after a crash; doubled for each crash in a row, up to {@link MAX_RESTART_DELAY}. */
const FIRST_RESTART_DELAY = 100;
const MAX_RESTART_DELAY = 30_000;
/** A worker that served this long is healthy again: its next crash restarts it at the first delay. */
const STABLE_AFTER = 10_000;
/** On top of the workers' graceful timeout: how long the primary waits before killing what is left. */
const EXIT_GRACE = 5_000;

/** Where the primary's lines go. */
export interface ClusterLog {
  info(message: string): void;
  warn(message: string): void;
}

/** Options of {@link startClusterPrimary}. */
export interface ClusterPrimaryOptions {
  /** How many worker processes to run (≥ 1). */
  workers: number;
  /** The graceful timeout each worker drains with (ms): the primary waits that long plus a grace period. */
  shutdownTimeout: number;
  log: ClusterLog;
}

/** A running cluster, seen from its primary. */
export interface ClusterPrimary {
  /** The URL the workers listen on (after `ready()`). */
  readonly url: string | undefined;
  /** The port the workers listen on (after `ready()`). */
  readonly port: number | undefined;
  /** Pids of the workers serving now. */
  readonly workerPids: number[];
  /** Resolves once every worker listens; rejects when one fails to start (the cluster is then stopped). */
  ready(): Promise<void>;
  /** Asks every worker to drain and waits for them to exit; rejects when one did not exit cleanly. Idempotent. */
  close(): Promise<void>;
}

/** One place in the cluster, kept filled by a worker (restarted with back-off when it dies). */
interface Slot {
  index: number;
  worker: Worker | undefined;
  listeningSince: number | undefined;
  crashes: number;
  restartTimer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Starts the primary: forks `workers` processes running this same script (or
 * `cluster.setupPrimary()`'s `exec`), marked with {@link CLUSTER_WORKER_ENV}.
 */
export function startClusterPrimary(options: ClusterPrimaryOptions): ClusterPrimary {
  // Loaded here, not at import: `nitrokit/node` without workers never pays for node:cluster.
  const cluster = process.getBuiltinModule("node:cluster") as unknown as Cluster;
  if (!cluster.isPrimary) throw new Error("[nitrokit] cluster: the primary cannot start inside a worker.");
  const { log } = options;
  const locks = new LockTable();
  const slots: Slot[] = Array.from({ length: options.workers }, (_, index) => ({
    index,
    worker: undefined,
    listeningSince: undefined,
    crashes: 0,
    restartTimer: undefined,
  }));
  let address: { url: string; port: number | undefined } | undefined;
  let stopping = false;
  let closePromise: Promise<void> | undefined;

  let started!: () => void;
  let failedToStart!: (error: Error) => void;
  const startup = new Promise<void>((resolve, reject) => {
    started = resolve;
    failedToStart = reject;
  });
  let startedUp = false;
  // A startup failure is reported through ready(); nobody awaiting it must not crash the process.
  startup.catch(() => {});

  // Rebroadcasts crossws' relay envelopes (WebSocket publishes) to every worker. Imported here, not at
  // start-up: an app that is no cluster loads no crossws. Workers boot long after it has loaded.
  void import("crossws/sync").then(({ setupPrimaryCluster }) => setupPrimaryCluster());

  function fork(slot: Slot): void {
    slot.restartTimer = undefined;
    const worker = cluster.fork({ [CLUSTER_WORKER_ENV]: "1" });
    slot.worker = worker;
    slot.listeningSince = undefined;
    let failure: { message: string; exitCode: number } | undefined;

    worker.on("message", (message: unknown) => {
      if (!isClusterMessage<WorkerMessage>(message)) return;
      switch (message.type) {
        case "listening": {
          slot.listeningSince = Date.now();
          address ??= { url: message.url, port: message.port };
          if (!startedUp && slots.every((s) => s.listeningSince !== undefined)) {
            startedUp = true;
            started();
          }
          return;
        }
        case "failed":
          failure = { message: message.message, exitCode: message.exitCode };
          return;
        case "lock": {
          let reply: PrimaryMessage;
          try {
            reply = { nitrokit: "cluster", type: "lock-result", id: message.id, value: locks.apply(message.op, message.key, message.token, message.ttl, worker.id) };
          } catch (error) {
            reply = { nitrokit: "cluster", type: "lock-result", id: message.id, error: error instanceof Error ? error.message : String(error) };
          }
          if (worker.isConnected()) worker.send(reply, () => {});
          return;
        }
      }
    });
    // A failed send (the worker is going away) surfaces here; the exit handler deals with the worker.
    worker.on("error", () => {});

    worker.once("exit", (code, signal) => {
      locks.releaseOwner(worker.id);
      const listened = slot.listeningSince !== undefined;
      const servedFor = listened ? Date.now() - slot.listeningSince! : 0;
      slot.worker = undefined;
      slot.listeningSince = undefined;
      if (stopping) return;
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (!startedUp) {
        // Before every worker listened, a death is a startup failure (a bad port, a plugin that throws):
        // restarting would fail the same way forever. The worker's last message may still be queued: read it first.
        setImmediate(() => {
          const error = new Error(
            failure ? `[nitrokit] Worker ${worker.process.pid} failed to start: ${failure.message}` : `[nitrokit] Worker ${worker.process.pid} exited (${how}) before it listened.`,
          );
          (error as Error & { exitCode?: number }).exitCode = failure?.exitCode ?? 1;
          failedToStart(error);
          void stop();
        });
        return;
      }
      slot.crashes = servedFor >= STABLE_AFTER ? 1 : slot.crashes + 1;
      const delay = Math.min(FIRST_RESTART_DELAY * 2 ** (slot.crashes - 1), MAX_RESTART_DELAY);
      const why = failure ? `: ${failure.message}` : "";
      log.warn(`Worker ${worker.process.pid} exited (${how})${why}; restarting it in ${delay} ms${slot.crashes > 1 ? ` (crash ${slot.crashes} in a row)` : ""}.`);
      slot.restartTimer = setTimeout(() => fork(slot), delay);
    });
  }

  for (const slot of slots) fork(slot);

  /** Asks every worker to drain; resolves with the failures once all exited (killing the late ones). */
  async function stop(): Promise<string[]> {
    stopping = true;
    const failures: string[] = [];
    const killed = new Set<Worker>();
    const exits = slots.map((slot) => {
      clearTimeout(slot.restartTimer);
      const worker = slot.worker;
      if (!worker) return Promise.resolve();
      // A worker still starting has served nothing and may not listen for the primary yet: a signal stops it.
      const booting = slot.listeningSince === undefined;
      return new Promise<void>((resolve) => {
        worker.once("exit", (code, signal) => {
          if (code !== 0 && !killed.has(worker) && !booting) failures.push(`worker ${worker.process.pid} exited with ${signal ? `signal ${signal}` : `code ${code}`}`);
          resolve();
        });
        if (!booting && worker.isConnected()) worker.send({ nitrokit: "cluster", type: "shutdown" } satisfies PrimaryMessage, () => {});
        else worker.process.kill("SIGTERM");
      });
    });
    const deadline = setTimeout(() => {
      for (const slot of slots) {
        if (!slot.worker) continue;
        killed.add(slot.worker);
        failures.push(`worker ${slot.worker.process.pid} did not finish within ${options.shutdownTimeout + EXIT_GRACE} ms and was killed`);
        slot.worker.process.kill("SIGKILL");
      }
    }, options.shutdownTimeout + EXIT_GRACE);
    await Promise.all(exits);
    clearTimeout(deadline);
    return failures;
  }

  return {
    get url() {
      return address?.url;
    },
    get port() {
      return address?.port;
    },
    get workerPids() {
      return slots.flatMap((slot) => (slot.worker?.process.pid === undefined ? [] : [slot.worker.process.pid]));
    },
    ready: () => startup,
    close: () =>
      (closePromise ??= stop().then((failures) => {
        if (failures.length > 0) throw new Error(`[nitrokit] Cluster shutdown: ${failures.join("; ")}.`);
      })),
  };
}
