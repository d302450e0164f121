import type { Hooks } from "crossws";
import { HTTPError } from "h3";
import { errorResponse } from "../errors/error-response.js";
import { instrumentation } from "../app/instrumentation.js";

/** What a guarded hook needs from its app. */
export interface HookGuard {
  /** Runs `fn` as code of the app (so `useStorage()`, `useRuntimeConfig()` … find it). */
  run<T>(fn: () => T): T;
  /** Reports a hook that threw; the connection and the server carry on. */
  report(error: unknown, hook: keyof Hooks): void;
}

type AnyHook = (...args: never[]) => unknown;

/**
 * Wraps a route's crossws hooks so they run as code of their app, and so a hook
 * that throws (or rejects) is reported instead of becoming an unhandled rejection
 * that takes the process down. An `upgrade` hook that throws an `HTTPError` refuses
 * the connection with that status and a JSON body, as a handler's error would.
 */
export function guardHooks(hooks: Partial<Hooks>, guard: HookGuard): Partial<Hooks> {
  const guarded: Partial<Record<keyof Hooks, AnyHook>> = {};
  for (const name of Object.keys(hooks) as Array<keyof Hooks>) {
    const hook = hooks[name] as AnyHook | undefined;
    if (typeof hook !== "function") continue;
    guarded[name] = name === "upgrade" ? guardUpgrade(hook, guard) : guardEvent(name, hook, guard);
  }
  return guarded as Partial<Hooks>;
}

/** Messages received per connection, for the spans' count (never their content). */
const messageCounts = new WeakMap<object, number>();

/** While tracing is on, a hook runs in a `websocket <hook>` span with its route and the connection's message count. */
function traced(name: keyof Hooks, hook: AnyHook, args: unknown[]): unknown {
  const spans = instrumentation();
  if (!spans) return hook(...(args as never[]));
  const peer = args[0] as { context?: { matchedRoute?: { route?: string } } } | undefined;
  let count = (peer && messageCounts.get(peer)) ?? 0;
  if (name === "message" && peer) messageCounts.set(peer, ++count);
  const attributes = { "nitrokit.websocket.hook": name, "http.route": peer?.context?.matchedRoute?.route, "nitrokit.websocket.messages": count };
  return spans.span(`websocket ${name}`, attributes, () => hook(...(args as never[])), name === "message" ? "consumer" : "internal");
}

function guardEvent(name: keyof Hooks, hook: AnyHook, guard: HookGuard): AnyHook {
  return (...args) => {
    try {
      const result = guard.run(() => traced(name, hook, args));
      if (result instanceof Promise) return result.catch((error: unknown) => guard.report(error, name));
      return result;
    } catch (error) {
      guard.report(error, name);
    }
  };
}

function guardUpgrade(hook: AnyHook, guard: HookGuard): AnyHook {
  return async (...args) => {
    try {
      return await guard.run(() => traced("upgrade", hook, args));
    } catch (error) {
      if (error instanceof Response) return error;
      const refused = HTTPError.isError(error) && !error.unhandled;
      if (!refused) guard.report(error, "upgrade");
      return errorResponse(refused ? error : new HTTPError({ status: 500, cause: error, unhandled: true }), { dev: false });
    }
  };
}
