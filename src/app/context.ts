import { AsyncLocalStorage } from "node:async_hooks";
import { HTTPError, type H3Event, type H3EventContext } from "h3";
import type { NitroApp } from "../types/app.js";
import type { NitroHooks } from "./hooks.js";

/**
 * What `useNitroApp()` and friends see while code runs on behalf of an app:
 * a request (entered by `app.fetch`) or a lifecycle step (plugins in `ready()`,
 * `close` hooks, task runs).
 */
export interface NitroScope {
  readonly app: NitroApp;
  /** The request being served, once h3 has created its event. */
  event: H3Event | undefined;
}

const storage = new AsyncLocalStorage<NitroScope>();

/**
 * Whether any scope was ever entered in this process (only {@link runWithApp} and {@link runInScope}
 * enter one). Until then there is no scope to find, so the getters below skip `getStore()`: with one
 * app and no `asyncContext` (the common case, see {@link needsAsyncContext}) a handler calling
 * `useRuntimeConfig()` asked AsyncLocalStorage twice per request for nothing (on Bun a JS-level
 * lookup, ~0.6% of the full-stack app's samples in a profile of served requests).
 */
let scopeEntered = false;

/** The current scope, without asking AsyncLocalStorage while none was ever entered. */
function storedScope(): NitroScope | undefined {
  return scopeEntered ? storage.getStore() : undefined;
}

/** Apps created and not yet closed: the fallback when code runs outside any scope. */
const liveApps = new Set<NitroApp>();

/** The nitrokit app behind each h3 instance, so an event leads back to its app without a scope. */
const appsByH3 = new WeakMap<object, NitroApp>();

export function registerH3(h3: object, app: NitroApp): void {
  appsByH3.set(h3, app);
}

/** The app that created `event`, when it came through one. */
export function appOfEvent(event: H3Event): NitroApp | undefined {
  return event.app ? appsByH3.get(event.app) : undefined;
}

/**
 * Whether code running for `app` has to enter AsyncLocalStorage.
 *
 * On Node 20 AsyncLocalStorage runs on async_hooks: once anything enters it, every
 * promise in the process pays for it (measured: a quarter of a bare app's throughput).
 * With one app alive, `useNitroApp()`, `useRuntimeConfig()` and `useStorage()` find it
 * without a scope, so the scope is only entered when it decides something: with several
 * apps in the process, or when `experimental.asyncContext` asks for `useEvent()`, as in Nitro.
 */
export function needsAsyncContext(app: NitroApp): boolean {
  return scopeEveryRequest || liveApps.size > 1 || app.config.experimental?.asyncContext === true;
}

/** Set by adapters for runtimes whose AsyncLocalStorage is native and cheap (workerd). */
let scopeEveryRequest = false;

/**
 * Enters the request scope on every request from now on, so `useEvent()` works and
 * background work (SWR refreshes) reaches the platform's `waitUntil`. For adapters of
 * runtimes where AsyncLocalStorage costs next to nothing and `waitUntil` matters (Workers).
 */
export function scopeEveryRequestFromNowOn(): void {
  scopeEveryRequest = true;
}

/** Runs `fn` with `app` as the current app (and no request). */
export function runWithApp<T>(app: NitroApp, fn: () => T): T {
  if (!needsAsyncContext(app)) return fn();
  scopeEntered = true;
  return storage.run({ app, event: undefined }, fn);
}

/** Runs `fn(...args)` inside a request scope. */
export function runInScope<A extends unknown[], T>(scope: NitroScope, fn: (...args: A) => T, ...args: A): T {
  scopeEntered = true;
  return storage.run(scope, fn, ...args);
}

/** The scope of the current request or lifecycle step, if any. */
export function currentScope(): NitroScope | undefined {
  return storedScope();
}

/** The only live app, when there is exactly one (kept so the fallback costs no iterator per call). */
let soleApp: NitroApp | undefined;

export function trackApp(app: NitroApp): void {
  liveApps.add(app);
  soleApp = liveApps.size === 1 ? app : undefined;
}

export function untrackApp(app: NitroApp): void {
  liveApps.delete(app);
  soleApp = liveApps.size === 1 ? (liveApps.values().next().value as NitroApp) : undefined;
}

/**
 * The app serving the current request.
 *
 * Inside a request, plugin, hook or task run it is always the app that runs it,
 * even with several apps in one process. Outside of those it falls back to the
 * only app created; with none or several it throws, because guessing would hand
 * one app's config or storage to another.
 *
 * @example
 * import { useNitroApp } from "nitrokit";
 * const app = useNitroApp();
 * await app.hooks.callHook("close");
 */
export function useNitroApp(): NitroApp {
  const scope = storedScope();
  if (scope) return scope.app;
  if (soleApp) return soleApp;
  if (liveApps.size === 0) {
    throw new Error("[nitrokit] useNitroApp(): no app is running. Create one with createNitroApp() first.");
  }
  throw new Error(
    `[nitrokit] useNitroApp(): called outside a request while ${liveApps.size} apps exist, so the app is ambiguous. ` +
      "Call it inside a handler, middleware, plugin or task, or use the app object directly.",
  );
}

/**
 * The h3 event of the request being served, or `undefined` outside a request.
 * Needs `experimental.asyncContext: true` (as in Nitro) unless several apps share the process.
 *
 * @example
 * import { useEvent } from "nitrokit";
 * const url = useEvent()?.url.pathname;
 */
export function useEvent(): H3Event | undefined {
  return storedScope()?.event;
}

/**
 * The hooks of the current app (see {@link useNitroApp}), as Nitro 3's `useNitroHooks()`.
 *
 * @example
 * import { definePlugin } from "nitrokit";
 * import { useNitroHooks } from "nitrokit/app";
 * export default definePlugin(() => {
 *   useNitroHooks().hook("response", (res) => void res.headers.set("x-powered-by", "nitrokit"));
 * });
 */
export function useNitroHooks(): NitroHooks {
  return useNitroApp().hooks;
}

/**
 * The request being served (srvx's `ServerRequest`: a web `Request` plus `ip`,
 * `waitUntil`, `context`), as Nitro 3's `useRequest()` from `nitro/context`.
 *
 * As in Nitro it needs `experimental.asyncContext: true` (unless several apps share
 * the process, where the request scope is always entered). Called without a request
 * scope it throws an `HTTPError` (500) saying so.
 *
 * @example
 * import { useRequest } from "nitrokit/context";
 * const app = createNitroApp({ experimental: { asyncContext: true } });
 * app.get("/whoami", () => ({ ip: useRequest().ip }));
 */
export function useRequest(): H3Event["req"] {
  const event = storedScope()?.event;
  if (event) return event.req;
  throw new HTTPError({
    status: 500,
    message:
      "[nitrokit] useRequest(): no request is being served here. Call it while a request is served, " +
      "with `experimental: { asyncContext: true }` in the app's config (as in Nitro).",
  });
}

/**
 * A request's `event.context` when nitrokit makes it (the request path, Bun's server): an object
 * without inherited keys, as h3's own. `Object.create(null)` would do the same but starts V8 off
 * with a dictionary-mode object, so every key h3, the rules and the app add to it is a hash insert;
 * an instance of a class whose prototype is such an object stays a fast, shaped object.
 */
export const EventContext = function EventContext() {} as unknown as new () => H3EventContext;
EventContext.prototype = Object.create(null) as object;
