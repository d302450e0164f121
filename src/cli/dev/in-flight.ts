import type { Server } from "node:http";
import type { NodeServerInstance } from "../../adapters/node/serve.js";
import type { NitroApp } from "../../types/app.js";

/**
 * Counts each app's requests in flight, so a replaced app is closed only after the
 * requests it took have finished. A request belongs to the app serving when it
 * arrived: the adapter hands it to that app in the same `request` event.
 */
export class InFlightRequests {
  readonly #counts = new Map<NitroApp, number>();
  readonly #idle = new Map<NitroApp, Array<() => void>>();

  constructor(server: NodeServerInstance, current: () => NitroApp) {
    // HTTP/1.1, HTTPS and HTTP/2's compatibility API all emit `request` with a response that emits `close`.
    (server as Server).on("request", (_req, res) => {
      const app = current();
      this.#counts.set(app, (this.#counts.get(app) ?? 0) + 1);
      res.once("close", () => this.#finished(app));
    });
  }

  /** How many requests `app` is serving. */
  count(app: NitroApp): number {
    return this.#counts.get(app) ?? 0;
  }

  /** Resolves once `app` serves no request, or after `timeout` ms (a stream that never ends). */
  idle(app: NitroApp, timeout: number): Promise<void> {
    if (this.count(app) === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeout);
      timer.unref();
      const waiters = this.#idle.get(app) ?? [];
      waiters.push(() => (clearTimeout(timer), resolve()));
      this.#idle.set(app, waiters);
    });
  }

  #finished(app: NitroApp): void {
    const left = (this.#counts.get(app) ?? 1) - 1;
    if (left > 0) return void this.#counts.set(app, left);
    this.#counts.delete(app);
    for (const wake of this.#idle.get(app) ?? []) wake();
    this.#idle.delete(app);
  }
}
