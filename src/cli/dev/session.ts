import type { NitroNodeServer } from "../../adapters/node.js";
import type { NitroApp } from "../../types/app.js";
import { describeError } from "../errors.js";
import { displayPath, jitiImporter, loadApp, type ModuleImporter } from "../load-app.js";
import * as log from "../log.js";
import { readyOrFail } from "../start-app.js";
import { createFailureApp, failureOverlay } from "./error-app.js";
import type { FreshModules } from "./fresh-modules.js";
import { InFlightRequests } from "./in-flight.js";
import { SOURCE_FILE, type FileChange } from "./watcher.js";

/** How long a replaced app may keep serving its requests (a stream that never ends) before it is closed anyway. */
const RETIRE_TIMEOUT = 10_000;

type Build = { app: NitroApp } | { error: Error };

/**
 * One `nitrokit dev` session: loads the app, and on each relevant change loads a fresh
 * one and swaps it in behind the listening server. A load that fails (syntax error,
 * no app, `ready()` throwing) leaves the last good app serving; the error goes to the
 * terminal and to browser page requests until a change loads again.
 */
export class DevSession {
  readonly #entry: string;
  readonly #modules: FreshModules;
  #server: NitroNodeServer | undefined;
  #inFlight: InFlightRequests | undefined;
  #serving: NitroApp | undefined;
  #hasGoodApp = false;
  #failure: Error | undefined;
  #reloading = false;
  #queued: FileChange[] = [];
  readonly #retiring = new Set<Promise<void>>();

  constructor(entry: string, modules: FreshModules) {
    this.#entry = entry;
    this.#modules = modules;
  }

  /** Loads the first version of the app; a failure gives an app that shows the error instead. */
  async start(): Promise<NitroApp> {
    const build = await this.#build();
    if ("app" in build) {
      this.#hasGoodApp = true;
      this.#serving = build.app;
    } else {
      this.#failed(build.error);
      this.#serving = createFailureApp(build.error);
    }
    return this.#serving;
  }

  /** Starts swapping apps behind `server` (which serves the app `start()` returned). */
  attach(server: NitroNodeServer): void {
    this.#server = server;
    this.#inFlight = new InFlightRequests(server.node, () => this.#serving!);
  }

  /** Handles a batch of file changes from the watcher. */
  onChanges(changes: FileChange[]): void {
    const relevant = changes.filter((change) => this.#isRelevant(change));
    if (relevant.length === 0) return;
    if (this.#reloading) {
      this.#queued.push(...relevant);
      return;
    }
    void this.#reload(relevant);
  }

  /** Stops the server (requests in flight finish, the current app closes), then closes replaced apps. */
  async close(): Promise<void> {
    await this.#server?.close();
    await Promise.all(this.#retiring);
  }

  #isRelevant({ event, path }: FileChange): boolean {
    if (!SOURCE_FILE.test(path)) return false;
    // A new or removed source file may be a route for filesystem routing; a changed one
    // matters when the app was loaded from it, or when the last load failed (maybe there).
    return event !== "change" || this.#modules.has(path) || this.#failure !== undefined;
  }

  async #reload(changes: FileChange[]): Promise<void> {
    this.#reloading = true;
    try {
      log.info(`↻ ${describeChanges(changes)}`);
      const started = performance.now();
      const build = await this.#build();
      if ("error" in build) {
        this.#failed(build.error);
        if (this.#hasGoodApp) log.warn("Still serving the last version that loaded. Fix the error and save to reload.");
        else this.#swap(createFailureApp(build.error));
        return;
      }
      this.#failure = undefined;
      this.#hasGoodApp = true;
      this.#swap(build.app);
      log.info(log.green(`✔ reloaded in ${Math.round(performance.now() - started)} ms`));
    } finally {
      this.#reloading = false;
      const queued = this.#queued.splice(0);
      if (queued.length > 0) void this.#reload(queued);
    }
  }

  async #build(): Promise<Build> {
    this.#modules.next();
    try {
      const importModule = jitiImporter();
      // Files loaded later (a lazy `.ts` route on its first request) are recorded too, for the watcher.
      const recorded: ModuleImporter = (path) => importModule(path).finally(() => this.#modules.collect());
      const app = await loadApp(this.#entry, { dev: true, importModule: recorded });
      app.use(failureOverlay(() => this.#failure));
      return { app: await readyOrFail(app) };
    } catch (error) {
      return { error: error instanceof Error ? error : new Error(String(error)) };
    } finally {
      this.#modules.collect();
    }
  }

  #failed(error: Error): void {
    this.#failure = error;
    log.error(describeError(error));
  }

  /** Puts `next` behind the server; the replaced app closes once its requests in flight are done. */
  #swap(next: NitroApp): void {
    const previous = this.#server!.replaceApp(next);
    this.#serving = next;
    const inFlight = this.#inFlight!.count(previous);
    const retired = this.#inFlight!.idle(previous, RETIRE_TIMEOUT)
      .then(() => previous.close())
      .then(
        () => {
          if (inFlight > 0) log.info(log.dim(`previous app closed after its ${inFlight} request${inFlight > 1 ? "s" : ""} in flight finished`));
        },
        (error: unknown) => log.error(`Closing the previous app failed: ${describeError(error)}`),
      )
      .finally(() => this.#retiring.delete(retired));
    this.#retiring.add(retired);
  }
}

function describeChanges(changes: FileChange[]): string {
  const paths = [...new Set(changes.map((change) => displayPath(change.path)))];
  const verb = (path: string) => {
    const event = changes.find((change) => displayPath(change.path) === path)?.event;
    return event === "add" ? "added" : event === "unlink" ? "removed" : "changed";
  };
  const shown = paths.slice(0, 3).map((path) => `${path} ${verb(path)}`);
  return paths.length > 3 ? `${shown.join(", ")} and ${paths.length - 3} more` : shown.join(", ");
}
