import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { stripVTControlCharacters } from "node:util";
import { toNodeHandler, type NodeHandler } from "../../adapters/node/handler.js";
import { toNodeUpgradeHandler, type NodeUpgradeHandler } from "../../adapters/node/websocket.js";
import { createFailureApp, failureOverlay } from "../dev/error-app.js";
import { describeError } from "../errors.js";
import { loadApp, type ModuleImporter } from "../load-app.js";
import { readyOrFail } from "../start-app.js";
import type { NitroApp } from "../../types/app.js";

/** How long a replaced app may keep serving its requests (a stream that never ends) before it is closed anyway. */
const RETIRE_TIMEOUT = 10_000;

/** What the host tells Vite about: load failures (for the error overlay) and recoveries. */
export interface DevAppEvents {
  /** A version failed to load; `kept` says whether the last good one keeps serving. */
  onFailure(error: Error, kept: boolean): void;
  /** A version loaded; `recovered` when the one before it had failed. */
  onLoaded(took: number, recovered: boolean, first: boolean): void;
  /** A replaced app was closed, after the requests it had in flight when it was replaced. */
  onRetired(inFlight: number): void;
  /** Closing a replaced app failed. */
  onCloseError(error: Error): void;
}

/** Imports modules for one version of the app (its own module cache), until closed. */
export interface ModuleGeneration {
  importModule: ModuleImporter;
  close(): Promise<void>;
}

interface Served {
  app: NitroApp;
  modules: ModuleGeneration | undefined;
  handle: NodeHandler;
  upgrade: NodeUpgradeHandler | undefined;
  inFlight: number;
  idle: Array<() => void>;
}

type Build = { app: NitroApp; modules: ModuleGeneration } | { error: Error };

/**
 * The app behind Vite's dev server, with the same swap semantics as `nitrokit dev`: each
 * reload imports the entry afresh through Vite's module runner, a version that loads is
 * swapped in (requests in flight finish on the old one, which is closed once they have; new
 * requests and WebSocket upgrades go to the new one), and one that fails (syntax error, no
 * app, `ready()` throwing) leaves the last good version serving while the error goes to
 * page requests and to Vite's error overlay.
 */
export class DevAppHost {
  readonly #entry: string;
  readonly #newGeneration: () => ModuleGeneration;
  readonly #verify: () => Promise<void>;
  readonly #events: DevAppEvents;
  #current: Served | undefined;
  #started: Promise<void> | undefined;
  #hasGoodApp = false;
  #failure: Error | undefined;
  #reloading: Promise<void> | undefined;
  #reloadQueued = false;
  #closed = false;
  readonly #retiring = new Set<Promise<void>>();

  /**
   * `newGeneration` gives each load its own module cache (the project's modules evaluated afresh,
   * packages shared), so a replaced app keeps importing its own versions lazily until it is
   * closed; `verify` runs after the entry loaded, to fail the load for changed files the app
   * imports lazily (a route file with a syntax error is imported on its first request, too late
   * to keep the last good app).
   */
  constructor(options: { entry: string; newGeneration: () => ModuleGeneration; verify: () => Promise<void>; events: DevAppEvents }) {
    this.#entry = options.entry;
    this.#newGeneration = options.newGeneration;
    this.#verify = options.verify;
    this.#events = options.events;
  }

  /** The error of the last load, while it is not fixed. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /** The app serving now (undefined before the first load finished). */
  get app(): NitroApp | undefined {
    return this.#current?.app;
  }

  /** Loads the first version (once); requests wait for it. */
  start(): Promise<void> {
    return (this.#started ??= this.#load(true));
  }

  /** Loads a new version; calls during a reload are folded into one more reload after it. */
  reload(): Promise<void> {
    if (this.#reloading) {
      this.#reloadQueued = true;
      return this.#reloading;
    }
    const run = async (): Promise<void> => {
      await this.start();
      do {
        this.#reloadQueued = false;
        await this.#load(false);
      } while (this.#reloadQueued && !this.#closed);
    };
    this.#reloading = run().finally(() => (this.#reloading = undefined));
    return this.#reloading;
  }

  /** Serves a request with the current app, counting it in flight for that app. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    await this.start();
    const served = this.#current!;
    served.inFlight++;
    res.once("close", () => this.#finished(served));
    await served.handle(req, res);
  }

  /** Hands a WebSocket upgrade to the current app. */
  async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    await this.start();
    const served = this.#current!;
    served.upgrade ??= toNodeUpgradeHandler(served.app);
    served.upgrade(req, socket, head);
  }

  /** Closes the current app and every replaced one still finishing its requests. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#started?.catch(() => undefined);
    await this.#reloading?.catch(() => undefined);
    const current = this.#current;
    this.#current = undefined;
    await Promise.all([current?.app.close().finally(() => current.modules?.close()), ...this.#retiring]);
  }

  async #load(first: boolean): Promise<void> {
    const started = performance.now();
    const build = await this.#build();
    if (this.#closed) {
      if ("app" in build) await build.app.close().finally(() => build.modules.close());
      return;
    }
    if ("error" in build) {
      this.#failure = build.error;
      this.#events.onFailure(build.error, this.#hasGoodApp);
      if (!this.#hasGoodApp) this.#swap(createFailureApp(build.error), undefined);
      return;
    }
    const recovered = this.#failure !== undefined;
    this.#failure = undefined;
    this.#hasGoodApp = true;
    this.#swap(build.app, build.modules);
    this.#events.onLoaded(Math.round(performance.now() - started), recovered, first);
  }

  async #build(): Promise<Build> {
    const modules = this.#newGeneration();
    try {
      const app = await loadApp(this.#entry, { dev: true, importModule: modules.importModule });
      try {
        await this.#verify();
      } catch (error) {
        await app.close().catch(() => undefined);
        throw error;
      }
      app.use(failureOverlay(() => this.#failure));
      return { app: await readyOrFail(app), modules };
    } catch (error) {
      await modules.close().catch(() => undefined);
      return { error: withPlainMessage(error) };
    }
  }

  /** Puts `next` in front; the replaced app closes once its requests in flight are done. */
  #swap(next: NitroApp, modules: ModuleGeneration | undefined): void {
    const previous = this.#current;
    this.#current = { app: next, modules, handle: toNodeHandler(next), upgrade: undefined, inFlight: 0, idle: [] };
    if (!previous) return;
    const inFlight = previous.inFlight;
    const retired = this.#idle(previous)
      .then(() => previous.app.close())
      .finally(() => previous.modules?.close())
      .then(() => this.#events.onRetired(inFlight))
      .catch((error: unknown) => this.#events.onCloseError(error instanceof Error ? error : new Error(describeError(error))))
      .finally(() => this.#retiring.delete(retired));
    this.#retiring.add(retired);
  }

  #idle(served: Served): Promise<void> {
    if (served.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, RETIRE_TIMEOUT);
      timer.unref();
      served.idle.push(() => (clearTimeout(timer), resolve()));
    });
  }

  #finished(served: Served): void {
    if (--served.inFlight > 0) return;
    for (const wake of served.idle.splice(0)) wake();
  }
}

/**
 * The error with the terminal colours Vite's parser puts in its messages taken out: the
 * message reaches JSON error bodies and HTML pages. The original stays as `cause` (the
 * overlay reads its code frame and location).
 */
function withPlainMessage(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const message = stripVTControlCharacters(error.message);
  if (message === error.message) return error;
  const plain = new Error(message, { cause: error.cause ?? error });
  plain.name = error.name;
  plain.stack = stripVTControlCharacters(error.stack ?? `${error.name}: ${message}`);
  return plain;
}
