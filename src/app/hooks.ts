import { Hookable, type HookCallback } from "hookable";
import type { H3Event } from "h3";

/**
 * The app's runtime hooks: Nitro 3's `NitroRuntimeHooks` (names and argument order),
 * plus `beforeResponse`, which Nitro 3 has no equivalent for. In the order they fire:
 *
 * | hook | when | arguments |
 * | --- | --- | --- |
 * | `request` | a request enters, before route rules and middleware | `(event)` |
 * | `beforeResponse` (nitrokit) | a route handler returned; may replace `context.body` | `(event, context: { body })` |
 * | `response` | the response is built (success or error) | `(res, event)` |
 * | `error` | a request failed, or a hook, plugin, task or cache threw | `(error, { event?, tags })` |
 * | `close` | `app.close()` | `()` |
 *
 * A hook that throws never breaks the response: its error goes to the `error` hook
 * (tags `["hook", name]`), or to `console.error` while no `error` hook is registered.
 * Nitro 2's `afterResponse` is refused at registration: its replacement, `response`,
 * takes different arguments.
 */
export interface NitroRuntimeHooks {
  request: (event: H3Event) => void | Promise<void>;
  response: (res: Response, event: H3Event) => void | Promise<void>;
  error: (error: Error, context: { event?: H3Event; tags: string[] }) => void | Promise<void>;
  close: () => void | Promise<void>;
  /** nitrokit's (Nitro 2 had it, Nitro 3 has none): sees, and may replace, what a route handler returned. */
  beforeResponse: (event: H3Event, context: { body: unknown }) => void | Promise<void>;
}

/** Hook names from earlier Nitro versions whose arguments changed, with what to use instead. */
const RENAMED_HOOKS: Record<string, string> = {
  afterResponse:
    "[nitrokit] The `afterResponse` hook is Nitro 2's and is gone in Nitro 3: use `response`, which receives `(res, event)` (the Response, then the event).",
};

/** The app's hook registry: hookable, plus a cheap check the request path uses to skip idle hooks. */
export class NitroHooks extends Hookable<NitroRuntimeHooks> {
  /**
   * Registers `fn` on `name` (hookable's `hook`). Refuses Nitro 2's `afterResponse`: aliasing
   * it to `response` would hand old code `(res, event)` where it expects `(event, { body })`.
   */
  override hook<Name extends keyof NitroRuntimeHooks>(
    name: Name,
    fn: NitroRuntimeHooks[Name] extends HookCallback ? NitroRuntimeHooks[Name] : never,
    options?: { allowDeprecated?: boolean },
  ): () => void {
    const replacement = RENAMED_HOOKS[name as string];
    if (replacement) throw new TypeError(replacement);
    return super.hook(name, fn, options);
  }

  /**
   * Whether anything listens on `name`. The request path asks before calling a hook so
   * an app without listeners pays no promise per request. Reads hookable's registry
   * directly (pinned version; covered by the hook tests).
   */
  has(name: keyof NitroRuntimeHooks): boolean {
    const registry = this["_hooks"] as Record<string, unknown[] | undefined>;
    return registry[name] !== undefined && registry[name].length > 0;
  }
}

/** hookable's fields the call below reads (pinned version; covered by the hook tests). */
interface HookableInternals {
  _hooks: Record<string, Array<(...args: unknown[]) => unknown> | undefined>;
  _before?: unknown[];
  _after?: unknown[];
}

/**
 * Calls every listener of `name` in order, each in its own try/catch: a throwing
 * listener is reported to `onError` (with the hook's name and arguments) and the next one
 * still runs. Synchronous listeners run synchronously; the call only becomes a promise at
 * the first listener (or error report) that returns one, so sync hooks cost no microtask.
 *
 * As hookable's own calls do, it calls the listeners registered when it starts: one added or
 * removed meanwhile (a `hookOnce` listener, say) counts from the next call. It reads hookable's
 * registry itself rather than going through `callHookWith`, which copies the list and makes a
 * closure on every call, the request path's hot spot; while hookable's debug listeners
 * (`beforeEach`/`afterEach`) are set, `callHookWith` runs it so they see the call.
 */
export function callHookSafely<Name extends keyof NitroRuntimeHooks>(
  hooks: NitroHooks,
  name: Name,
  args: Parameters<NitroRuntimeHooks[Name]>,
  onError: (error: unknown, name: Name, args: Parameters<NitroRuntimeHooks[Name]>) => void | Promise<void>,
): void | Promise<void> {
  const report = onError as (error: unknown, name: string, args: unknown[]) => void | Promise<void>;
  const internals = hooks as unknown as HookableInternals;
  if (internals._before !== undefined || internals._after !== undefined) {
    return hooks.callHookWith(
      (listeners: Array<(...args: unknown[]) => unknown>, listenerArgs: unknown[]) => runListeners(listeners, 0, listeners.length, listenerArgs, name, report),
      name,
      args,
    );
  }
  const listeners = internals._hooks[name];
  if (listeners === undefined || listeners.length === 0) return;
  // One listener needs no copy: the fixed end keeps a listener added meanwhile out of this call.
  return runListeners(listeners.length === 1 ? listeners : listeners.slice(), 0, listeners.length, args, name, report);
}

function runListeners(
  listeners: Array<(...args: unknown[]) => unknown>,
  start: number,
  end: number,
  args: unknown[],
  name: string,
  onError: (error: unknown, name: string, args: unknown[]) => void | Promise<void>,
): void | Promise<void> {
  for (let i = start; i < end; i++) {
    let result: unknown;
    try {
      result = listeners[i]!(...args);
    } catch (error) {
      const reported = onError(error, name, args);
      if (isThenable(reported)) return reported.then(() => runListeners(listeners, i + 1, end, args, name, onError));
      continue;
    }
    if (isThenable(result)) {
      const next = () => runListeners(listeners, i + 1, end, args, name, onError);
      return result.then(next, (error: unknown) => {
        const reported = onError(error, name, args);
        return isThenable(reported) ? reported.then(next) : next();
      });
    }
  }
}

function isThenable(value: unknown): value is Promise<unknown> {
  return typeof (value as Promise<unknown> | undefined)?.then === "function";
}

/** Hands `error` to the `error` hook (when someone listens); a hook that throws is logged, never rethrown. */
export async function reportToErrorHook(hooks: NitroHooks, error: unknown, context: { event?: H3Event; tags?: string[] }): Promise<void> {
  if (!hooks.has("error")) return;
  const reported = error instanceof Error ? error : new Error(String(error));
  await callHookSafely(hooks, "error", [reported, { event: context.event, tags: context.tags ?? [] }], (hookError) => {
    console.error("[nitrokit] An `error` hook threw while reporting an error:", hookError);
  });
}

/**
 * Reports a listener of `hook` that threw: to the `error` hook with `context`, or, while
 * nobody listens there, to `console.error`, so a broken hook never fails unnoticed.
 */
export function reportHookError(
  hooks: NitroHooks,
  error: unknown,
  hook: keyof NitroRuntimeHooks,
  context: { event?: H3Event; tags: string[] },
): void | Promise<void> {
  if (hooks.has("error")) return reportToErrorHook(hooks, error, context);
  const where = context.event ? ` on ${context.event.req.method} ${context.event.url.pathname}` : "";
  console.error(`[nitrokit] The \`${hook}\` hook threw${where} (register an \`error\` hook to receive these):`, error);
}
