import type { ServerRequest, ServerRuntimeContext } from "srvx";

/**
 * Gives a runtime's `Request` what h3 and srvx-based code read from it:
 * `runtime` (`event.runtime`), `ip` (`getRequestIP`) and `waitUntil` (`event.waitUntil`).
 *
 * Defined configurable, and after the body limit wrapped the request: srvx's own
 * adapters define `waitUntil` read-only on the request, and the body limit's Proxy
 * hands out bound functions, which a read-only property forbids (a `TypeError` on
 * `event.waitUntil()` for any request with a body).
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
