/**
 * The request path: where every request to an app goes, from `app.fetch` (or an adapter)
 * to the response, in the order it happens.
 *
 *   serve(request)                       app.fetch and every adapter call this
 *   ├─ body limit                        applied here, once (input/body-limit.ts)
 *   ├─ shutting down → 503; not ready → await ready() (503 if it failed)
 *   ├─ observer                          only with `tracing`/`logging`: the server span, the log line (tracing/, logging/)
 *   ├─ request scope                     entered only when something needs AsyncLocalStorage (context.ts)
 *   └─ h3.request(request)
 *      ├─ onRequest                      input guard (413, safe JSON), the scope gets its event, `request` hook
 *      ├─ h3 finds the route             rou3, by method and path
 *      ├─ middleware, in Nitro 3's order, whenever each was registered:
 *      │    route rules (cors, headers, redirect, proxy) → global middleware (registration order)
 *      │    → route middleware → the cache rule, around the handler only
 *      ├─ handler                        wrapped by `observe` (a file route's lazy handler does it itself):
 *      │                                 the `beforeResponse` hook sees its value
 *      ├─ a plain object → JSON response  built at once, with the rule headers (app-h3.ts); else h3 builds it
 *      ├─ onResponse                     `response` hook, set only while one listens
 *      └─ onError                        404 or 405 from the route registry, the error logged (never sent),
 *                                        the `error` hook, custom error handlers, the default JSON/HTML answer
 */
import { H3, type EventHandler, type H3Event, type H3EventContext, type HTTPError } from "h3";
import type { BeforeResponseHook, NitroApp, NitroErrorHandler } from "../types/app.js";
import type { AppRouteRules } from "../route-rules/rules.js";
import { closeAfterBodyTooLarge, limitBody } from "../input/body-limit.js";
import { guardRequest } from "../input/guard-request.js";
import { methodNotAllowed, notFound, runErrorHandlers, unavailableResponse } from "../errors/error-response.js";
import { addRuleHeadersInPlace, ruleHeadersForError, takeRuleHeaders, withRuleHeaders } from "../route-rules/headers-rule.js";
import { EventContext, needsAsyncContext, runInScope, type NitroScope } from "./context.js";
import { callHookSafely, reportHookError, type NitroRuntimeHooks } from "./hooks.js";
import { AppH3 } from "./app-h3.js";
import { RouteRegistry } from "./route-registry.js";
import type { RequestObserver } from "./instrumentation.js";

/** What the request path is built from: the app it serves and the parts of the app it consults. */
export interface RequestPathOptions {
  routeRules: AppRouteRules;
  errorHandlers: readonly NitroErrorHandler[];
  dev: boolean;
  maxRequestBodySize: number;
}

/** Per-request values kept on `event.context`, under a symbol so they never show in user data. */
const kScope = Symbol("nitrokit.scope");
interface ContextSlots {
  [kScope]?: NitroScope;
}

/** The hooks the request path calls for each request. */
type RequestHook = "request" | "beforeResponse" | "response";

/** Where an app stands in its life, as far as serving goes. */
type ServingState = "starting" | "serving" | "closing";

export class RequestPath {
  /** The h3 app underneath (`app.h3`): its router and middleware list are the app's. */
  readonly h3: H3;
  /** The routes h3 serves, for what h3's router cannot answer (404 or 405). */
  readonly routes: RouteRegistry;
  readonly #app: NitroApp;
  readonly #options: RequestPathOptions;
  #state: ServingState = "starting";
  #observer: RequestObserver | undefined;
  #startFailureLogged = false;
  /** Some `headers` rule exists: responses get the headers the matched rules recorded. */
  readonly #ruleHeaders: boolean;

  constructor(app: NitroApp, options: RequestPathOptions) {
    this.#app = app;
    this.#options = options;
    this.h3 = new AppH3({ silent: true, onRequest: this.#onRequest, onError: (error, event) => this.#onError(error, event) });
    this.routes = new RouteRegistry(this.h3);
    const { routeRules } = options;
    this.#ruleHeaders = routeRules.addsHeaders;
    if (!routeRules.empty) {
      // Route rules run before the global middleware and the cache rule after it, whatever was registered
      // when (before or after ready(), in a plugin, on app.h3). Without rules h3 keeps its precomposed chain.
      this.h3["~getMiddleware"] = (event, route) => routeRules.middlewareFor(event, this.h3["~middleware"], route);
    }
  }

  /** Plugins have run: requests are served (until `closing()`). */
  serving(): void {
    if (this.#state === "starting") this.#state = "serving";
  }

  /** The app is closing: every request from now on gets a 503, and the observers let go of the process. */
  closing(): void {
    this.#state = "closing";
    this.#observer?.close?.();
  }

  /** Every request from outside enters here, through `app.fetch` or an adapter: the body limit is applied once. */
  serve(request: Request, context?: H3EventContext): Response | Promise<Response> {
    return this.enter(limitBody(request, this.#options.maxRequestBodySize), context);
  }

  /** A request whose body is already dealt with (WebSocket upgrades, which have none). */
  enter(request: Request, context?: H3EventContext): Response | Promise<Response> {
    if (this.#state !== "serving") return this.#notServing(request, context);
    // Tracing and request logs, when the config asks for them (set by ready()): they wrap the whole answer.
    if (this.#observer) return this.#observer.serve(request, context ?? (request as { context?: H3EventContext }).context ?? {}, this.#answer);
    return this.#answer(request, context);
  }

  /** Installs what watches every request from now on (tracing, request logs); a second one runs inside the first. */
  observeRequests(observer: RequestObserver): void {
    const outer = this.#observer;
    this.#observer = outer
      ? {
          serve: (request, context, next) => outer.serve(request, context, (r, c) => observer.serve(r, c, next)),
          failed: (event, error) => (outer.failed?.(event, error), observer.failed?.(event, error)),
          close: () => (outer.close?.(), observer.close?.()),
        }
      : observer;
  }

  readonly #answer = (request: Request, context?: H3EventContext): Response | Promise<Response> => {
    // h3 only pays for the response hook (a promise chain per request) while someone listens.
    this.h3.config.onResponse = this.#app.hooks.has("response") ? this.#onResponse : undefined;
    if (!needsAsyncContext(this.#app)) {
      if (!this.#ruleHeaders) return this.h3.request(request, undefined, context);
      const shared = context ?? (request as { context?: H3EventContext }).context ?? new EventContext();
      return this.#withRuleHeaders(this.h3.request(request, undefined, shared), shared);
    }
    const scope: NitroScope = { app: this.#app, event: undefined };
    // An upgrade request carries the context crossws hands its peer (`request.context`): keep that one object.
    const shared = (context ?? (request as { context?: H3EventContext }).context ?? new EventContext()) as H3EventContext & ContextSlots;
    shared[kScope] = scope;
    const response = runInScope(scope, this.h3.request, request, undefined, shared);
    return this.#ruleHeaders ? this.#withRuleHeaders(response, shared) : response;
  };

  /** Adds the headers the matched `headers` rules recorded (headers-rule.ts) to the finished response. */
  #withRuleHeaders(response: Response | Promise<Response>, context: H3EventContext): Response | Promise<Response> {
    if (isPromise(response)) return response.then((resolved) => this.#withRuleHeaders(resolved, context));
    const pending = takeRuleHeaders(context);
    return pending ? withRuleHeaders(response, pending) : response;
  }

  #notServing(request: Request, context: H3EventContext | undefined): Response | Promise<Response> {
    if (this.#state === "closing") return unavailableResponse("The server is shutting down.");
    return this.#app.ready().then(
      () => this.enter(request, context),
      (error: unknown) => {
        if (!this.#startFailureLogged) console.error("[nitrokit] Not serving: ready() failed:", error);
        this.#startFailureLogged = true;
        return unavailableResponse("The server failed to start.");
      },
    );
  }

  /** h3's `onRequest`: the input guard, the request scope's event, the `request` hook. */
  readonly #onRequest = (event: H3Event): void | Promise<void> => {
    guardRequest(event, this.#options.maxRequestBodySize);
    const scope = (event.context as ContextSlots)[kScope];
    if (scope) scope.event = event;
    if (this.#app.hooks.has("request")) return this.#callHook("request", [event]);
  };

  /**
   * Wraps a route handler (registration calls this for each) so the `beforeResponse` hook
   * can see, and replace, what it returned. Costs one property check while nobody listens.
   */
  readonly observe = (handler: EventHandler): EventHandler => {
    const hooks = this.#app.hooks;
    const observed: EventHandler = (event) => {
      if (!hooks.has("beforeResponse")) return handler(event);
      return this.#afterHandler(event, handler(event));
    };
    // Only when there is one: a property added to each of many routes' wrappers is an allocation each.
    if (handler.meta !== undefined) observed.meta = handler.meta;
    return observed;
  };

  /**
   * What `observe`'s wrapper does, for handlers that do it themselves (filesystem routes' lazy
   * handlers, `~beforeResponse`): h3 then calls them directly, with no wrapper per route to make
   * at start-up.
   */
  readonly beforeResponse: BeforeResponseHook = {
    listening: () => this.#app.hooks.has("beforeResponse"),
    apply: (event, result) => this.#afterHandler(event, result),
  };

  /** The handler's `result` once the `beforeResponse` hook has seen it (and maybe replaced it). */
  #afterHandler(event: H3Event, result: unknown): Promise<unknown> {
    return isPromise(result) ? result.then((body) => this.#beforeResponse(event, body)) : this.#beforeResponse(event, result);
  }

  async #beforeResponse(event: H3Event, body: unknown): Promise<unknown> {
    const context = { body };
    await this.#callHook("beforeResponse", [event, context]);
    return context.body;
  }

  // Nitro 3's order: the Response first, then the event (h3's own `onResponse` order). The hook
  // sees the headers route rules add: they go in now, where the response's headers can change.
  readonly #onResponse = (response: Response, event: H3Event): void | Promise<void> => {
    if (this.#ruleHeaders) addRuleHeadersInPlace(response, event.context);
    return this.#callHook("response", [response, event]);
  };

  /** Runs a request hook; one that throws is reported to the `error` hook and the request goes on. */
  #callHook<Name extends RequestHook>(name: Name, args: Parameters<NitroRuntimeHooks[Name]>): void | Promise<void> {
    return callHookSafely(this.#app.hooks, name, args, this.#hookFailed);
  }

  /** Reports a request hook that threw, with its request: the event is the hook's first argument, the response hook's second. */
  readonly #hookFailed = (error: unknown, name: RequestHook, args: Parameters<NitroRuntimeHooks[RequestHook]>): void | Promise<void> => {
    const event = (name === "response" ? args[1] : args[0]) as H3Event;
    return reportHookError(this.#app.hooks, error, name, { event, tags: ["hook", name] });
  };

  /**
   * h3's `onError`, the answer to a request that failed: h3's "no route" becomes 404 or 405,
   * an unhandled error is logged with its stack (the client never sees it) and reported,
   * then the custom error handlers and the default one answer.
   */
  async #onError(error: HTTPError, event: H3Event): Promise<Response> {
    if (error.status === 404 && !event.context.matchedRoute) {
      // h3 found no route: tell "no such path" from "not with this method".
      const methods = this.routes.methodsFor(event.url.pathname);
      error = methods && !methods.has("") && !methods.has(event.req.method) ? methodNotAllowed(event, [...methods]) : notFound(event);
    }
    // Report what was thrown, not h3's wrapper, so error trackers see the real type and stack.
    const original = error.unhandled && error.cause instanceof Error ? error.cause : error;
    if (error.unhandled) console.error(`[nitrokit] ${event.req.method} ${event.url.pathname}:`, original);
    if (this.#observer && (error.unhandled || error.status >= 500)) this.#observer.failed?.(event, original);
    await this.#app.captureError(original, { event, tags: ["request"] });
    ruleHeadersForError(event, error);
    return closeAfterBodyTooLarge(await runErrorHandlers(this.#options.errorHandlers, error, event, this.#options.dev));
  }
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as Promise<unknown> | undefined)?.then === "function";
}
