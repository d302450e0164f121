import type { ServerRequest, ServerRuntimeContext } from "srvx";

/**
 * Gives a runtime's `Request` what h3 and srvx-based code read from it:
 * `runtime` (`event.runtime`), `ip` (`getRequestIP`) and `waitUntil` (`event.waitUntil`).
 *
 * Defined configurable, unlike srvx's own servers do (see input/request-proxy.ts), so
 * the Proxies the app wraps requests in (body limit, checked JSON) may bind them.
 */
export function decorateRequest(
  request: Request,
  runtime: ServerRuntimeContext,
  ip: () => string | undefined,
  waitUntil: (promise: Promise<unknown>) => void,
): ServerRequest {
  return Object.defineProperties(request, {
    runtime: { value: runtime, enumerable: true, configurable: true },
    ip: { get: ip, enumerable: true, configurable: true },
    waitUntil: { value: waitUntil, configurable: true },
  }) as ServerRequest;
}

/** Background work (`waitUntil`) a server tracks, so a graceful stop can wait for it. */
export class PendingWork {
  readonly #pending = new Set<Promise<unknown>>();

  readonly waitUntil = (promise: Promise<unknown>): void => {
    if (typeof promise?.then !== "function") return;
    const tracked: Promise<unknown> = Promise.resolve(promise)
      .catch((error: unknown) => console.error("[nitrokit] waitUntil work failed:", error))
      .finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
  };

  /** Settles once everything registered so far (and anything it registers meanwhile) is done. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }
}

/** Whether `request` asks to become a WebSocket. */
export function isWebSocketUpgrade(request: Request): boolean {
  const upgrade = request.headers.get("upgrade");
  return upgrade !== null && upgrade.toLowerCase() === "websocket";
}
