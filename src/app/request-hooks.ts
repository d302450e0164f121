import type { EventHandler, H3Event, H3EventContext } from "h3";
import type { NitroScope } from "./context.js";
import { callHookSafely, type NitroHooks, type NitroRuntimeHooks } from "./hooks.js";

/** Per-request values kept on `event.context`, under symbols so they never show in user data. */
const kScope = Symbol("nitrokit.scope");
interface ContextSlots {
  [kScope]?: NitroScope;
}

type HookFailure = (error: unknown, hook: keyof NitroRuntimeHooks, event: H3Event) => void | Promise<void>;

/**
 * How the app's `request`, `beforeResponse` and `response` hooks plug into h3's
 * request path. Each costs a property check per request while nobody listens.
 */
export class RequestHooks {
  readonly #hooks: NitroHooks;
  readonly #failed: HookFailure;

  constructor(hooks: NitroHooks, failed: HookFailure) {
    this.#hooks = hooks;
    this.#failed = failed;
  }

  /** `event.context` for a request served inside `scope`, so `onRequest` can hand the scope its event. */
  static scopedContext(scope: NitroScope, context: H3EventContext | undefined): H3EventContext {
    const scoped = (context ?? {}) as H3EventContext & ContextSlots;
    scoped[kScope] = scope;
    return scoped;
  }

  /** h3's `onRequest`: completes the request scope and runs the `request` hook. */
  readonly onRequest = (event: H3Event): void | Promise<void> => {
    const scope = (event.context as ContextSlots)[kScope];
    if (scope) scope.event = event;
    if (this.#hooks.has("request")) {
      return callHookSafely(this.#hooks, "request", [event], (error) => this.#failed(error, "request", event));
    }
  };

  /** h3's `onResponse`, set only while a `response` hook listens (h3 chains promises for it). */
  get onResponse(): ((response: Response, event: H3Event) => void | Promise<void>) | undefined {
    return this.#hooks.has("response") ? this.#onResponse : undefined;
  }

  // Nitro 3's order: the Response first, then the event (h3's own `onResponse` order).
  readonly #onResponse = (response: Response, event: H3Event): void | Promise<void> =>
    callHookSafely(this.#hooks, "response", [response, event], (error) => this.#failed(error, "response", event));

  /** Wraps a route handler so `beforeResponse` can see (and replace) what it returned. */
  observe(handler: EventHandler): EventHandler {
    const hooks = this.#hooks;
    const observed: EventHandler = (event) => {
      if (!hooks.has("beforeResponse")) return handler(event);
      const result = handler(event);
      return isPromise(result) ? result.then((body) => this.#beforeResponse(event, body)) : this.#beforeResponse(event, result);
    };
    observed.meta = handler.meta;
    return observed;
  }

  async #beforeResponse(event: H3Event, body: unknown): Promise<unknown> {
    const context = { body };
    await callHookSafely(this.#hooks, "beforeResponse", [event, context], (error) => this.#failed(error, "beforeResponse", event));
    return context.body;
  }
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as Promise<unknown> | undefined)?.then === "function";
}
