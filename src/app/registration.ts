import {
  H3,
  HTTPError,
  defineLazyEventHandler,
  toEventHandler,
  toMiddleware,
  type HTTPMethod,
  type EventHandler,
  type H3Event,
  type LazyEventHandler,
  type Middleware,
  type MiddlewareOptions,
  type RouteOptions,
} from "h3";
import type { MountableApp, RouteHandlerInput } from "../types/app.js";
import type { NitroHandlerConfig } from "../types/app.js";
import type { RouteRegistry, RouteSource } from "./route-registry.js";
import { toRouteHandler, type AnyRouteInput } from "../typed/define.js";
import type { ConfigModules } from "../config/modules.js";
import type { RouteFileMethod } from "../routing/conventions.js";
import { isNodeStyleApp, nodeAppFetch, requestAt, unservableReason } from "./node-apps.js";
import { continueWhenUnanswered } from "./server-entry.js";

/** A route file's method as h3 keys it. */
const UPPER_CASE_METHODS: Readonly<Record<RouteFileMethod, HTTPMethod>> = {
  connect: "CONNECT", delete: "DELETE", get: "GET", head: "HEAD", options: "OPTIONS", patch: "PATCH", post: "POST", put: "PUT", trace: "TRACE",
};

const MOUNTABLE = "an H3 app, an app with fetch() (Hono, Elysia), a fetch function (request) => Response, or a Node.js (req, res[, next]) app (Express, Connect, fastify.routing)";

/** What `use()` was given, kept on the middleware h3 made of it (see `use`). */
export interface MiddlewareSource {
  input: Middleware;
  route?: string;
  options?: MiddlewareOptions;
}
export const kMiddlewareSource = Symbol.for("nitrokit.middlewareSource");

/** Lower-case method names of the registration methods; `""` registers for every method. */
export type MethodName = Lowercase<Exclude<HTTPMethod, "CONNECT" | "TRACE" | "QUERY">> | "";

/**
 * How an app's registrations reach h3: paths get the app's `baseURL`, handlers are wrapped
 * by the request path (`observe`, for the `beforeResponse` hook), module paths become lazy
 * handlers, other apps are mounted. h3's route list is the one record of routes; the
 * registry is told only what each handler came from.
 */
export class RouteRegistration {
  constructor(
    readonly h3: H3,
    readonly registry: RouteRegistry,
    readonly observe: (handler: EventHandler) => EventHandler,
    readonly baseURL: string,
    readonly modules: ConfigModules,
  ) {}

  /** A route for `method` (or every method with `""`): a handler, or a validated route `{ validate, handler }`. */
  on(method: MethodName, path: string, input: AnyRouteInput, options?: RouteOptions, source?: RouteSource): void {
    if (typeof path !== "string" || !path.startsWith("/")) {
      throw new TypeError(`[nitrokit] Route path must start with '/': received ${JSON.stringify(path)}.`);
    }
    const handler = toRouteHandler(input);
    const eventHandler = toEventHandler(handler);
    if (!eventHandler) throw new TypeError(`[nitrokit] ${method.toUpperCase() || "ALL"} ${path}: handler must be a function, an H3 app or an object with fetch().`);
    const observed = this.observe(eventHandler);
    this.#addRoute(method.toUpperCase() as HTTPMethod | "", this.withBase(path), observed, options);
    this.registry.annotate(observed, source ?? { handler });
  }

  /**
   * `h3.on(method, route, handler, options)`: the route h3 would add, added through its `~addRoute`
   * without the normalization that would leave this route as it is (three regular expressions,
   * two with a function per match, and a copy of the method per route: ~5M instructions of a
   * 1,000-file start). Any route it could change goes through `h3.on`.
   */
  #addRoute(method: HTTPMethod | "", route: string, handler: EventHandler, options: RouteOptions | undefined): void {
    if (!isNormalizedRoute(route)) {
      this.h3.on(method, route, handler, options);
      return;
    }
    const meta = handler.meta === undefined && options?.meta === undefined ? {} : { ...handler.meta, ...options?.meta };
    this.h3["~addRoute"]({ method: method as HTTPMethod, route, handler, middleware: options?.middleware, meta });
  }

  /**
   * A filesystem route (registerRoutes): `handler` is nitrokit's own lazy handler and `route` a
   * pattern made from a file's path. What `on()` does with them, without the checks and
   * conversions such a handler and pattern pass through unchanged. The handler applies the
   * `beforeResponse` hook itself (`~beforeResponse`), so it needs no `observe` wrapper, and is
   * what the registry names as the route's source by default, so it needs no annotation: two
   * objects, a closure and a WeakMap entry less per route file.
   */
  fileRoute(method: RouteFileMethod | undefined, route: string, handler: EventHandler): void {
    this.#addRoute(method === undefined ? "" : UPPER_CASE_METHODS[method], this.withBase(route), handler, undefined);
  }

  /** A route in Nitro's `handlers` shape (`lazy` loaders, `middleware: true`). */
  route(definition: NitroHandlerConfig): void {
    if (typeof definition.handler === "string") {
      // A module path: imported on the route's first request, checked to exist by ready().
      const path = definition.handler;
      if (definition.middleware) this.use(definition.route, this.modules.middleware(path));
      else this.on((definition.method?.toLowerCase() ?? "") as MethodName, definition.route, this.modules.handler(path), undefined, { handler: path, lazy: true });
      return;
    }
    const handler = definition.lazy ? defineLazyEventHandler(definition.handler as LazyEventHandler) : definition.handler;
    if (definition.middleware) {
      this.use(definition.route, toMiddleware(handler as Middleware));
      return;
    }
    const source = definition.lazy ? { handler: definition.handler, lazy: true } : undefined;
    const options = definition.meta ? { meta: definition.meta } : undefined;
    this.on((definition.method?.toLowerCase() ?? "") as MethodName, definition.route, handler as RouteHandlerInput, options, source);
  }

  use(pathOrMiddleware: string | Middleware | H3, middlewareOrOptions?: Middleware | H3 | MiddlewareOptions, options?: MiddlewareOptions): void {
    const list = this.h3["~middleware"];
    const before = list.length;
    let source: MiddlewareSource;
    if (typeof pathOrMiddleware === "string") {
      source = { input: middlewareOrOptions as Middleware, route: prefixPattern(this.withBase(pathOrMiddleware)), options };
      this.h3.use(source.route!, middlewareOrOptions as Middleware | H3, options);
    } else {
      source = { input: pathOrMiddleware as Middleware, options: middlewareOrOptions as MiddlewareOptions | undefined };
      this.h3.use(pathOrMiddleware, middlewareOrOptions as MiddlewareOptions | undefined);
    }
    // h3 wraps most middleware in an anonymous function (its path and method matcher): the wrapper
    // keeps the user's name (for traces and stacks) and says what it wraps (tracing times the inside).
    const added = list.length > before ? list[list.length - 1] : undefined;
    if (!added || added === source.input || typeof source.input !== "function") return;
    if (source.input.name) Object.defineProperty(added, "name", { value: source.input.name });
    (added as Middleware & { [kMiddlewareSource]?: MiddlewareSource })[kMiddlewareSource] = source;
  }

  /**
   * An H3 app's routes join the router under `base`. Any other app is a catch-all under
   * `base` that sees paths without it; when it answers nothing (a Node app calling
   * `next()`), the request goes on to the 404. What cannot serve requests is refused here.
   */
  mount(base: string, app: MountableApp): void {
    if (typeof base !== "string" || !base.startsWith("/")) {
      throw new TypeError(`[nitrokit] app.mount(base, app): base must start with '/': received ${JSON.stringify(base)}.`);
    }
    const prefix = this.withBase(base).replace(/\/$/, "");
    if (isH3App(app)) {
      for (const route of app["~routes"]) this.registry.annotate(route.handler, { handler: route.handler, mounted: true });
      this.h3.mount(prefix || "/", app);
      return;
    }
    const serve = mountedFetch(app, base);
    const mountedApp = continueWhenUnanswered(function mountedApp(event: H3Event) {
      const path = event.url.pathname;
      // As h3's mount: `/base//x` would reach the app as `/x` on another path.
      if (path.startsWith(`${prefix}//`)) throw new HTTPError({ status: 404 });
      if (!prefix) return serve(event.req);
      const url = new URL(event.url.href);
      url.pathname = path === prefix ? "/" : path.slice(prefix.length);
      return serve(requestAt(event.req, url.href));
    });
    this.h3.all(`${prefix}/**`, mountedApp);
    this.registry.annotate(mountedApp, { handler: app, mounted: true, opaque: true });
  }

  /**
   * The server entry (Nitro's `server.ts`): a catch-all under every specific route. When it
   * returns nothing the request goes on to the 404, or the 405 for a path other methods serve.
   */
  serverEntry(handler: EventHandler, source: RouteSource): void {
    const observed = this.observe(continueWhenUnanswered(handler));
    this.h3.on("", this.withBase("/**"), observed);
    this.registry.annotate(observed, { ...source, catchAll: true });
  }

  withBase(path: string): string {
    if (!this.baseURL) return path;
    return path === "/" ? this.baseURL : this.baseURL + path;
  }
}

/**
 * Characters h3's route normalization acts on: those it percent-encodes (controls, space, `"` `#`
 * `<` `>` `` ` ``, DEL and beyond ASCII) and `%`, which starts the escapes it decodes.
 */
const ROUTE_NORMALIZED_CHARACTERS = /[\u0000-\u0020"#%<>`\u007F-\uFFFF]/;

/**
 * Whether h3's `normalizeRoute` returns `route` unchanged: it starts with `/` (so it is no URL and
 * needs no leading slash), holds nothing h3 encodes or decodes, and no `.` segment to resolve.
 * test/app/registration.test.ts compares the routes added both ways.
 */
function isNormalizedRoute(route: string): boolean {
  return route.charCodeAt(0) === 47 && !ROUTE_NORMALIZED_CHARACTERS.test(route) && !route.includes("/.");
}

function isH3App(app: unknown): app is H3 {
  if (app instanceof H3) return true;
  // Another copy of h3 (the user's own) marks its apps the same way.
  const candidate = app as { handler?: unknown; constructor?: { "~h3"?: boolean } } | null;
  return typeof candidate?.handler === "function" && candidate.constructor?.["~h3"] === true && Array.isArray((app as H3)["~routes"]);
}

/** The app as `(request) => response`; whatever cannot serve requests throws a TypeError naming the shapes that can. */
function mountedFetch(app: unknown, base: string): (request: Request) => unknown {
  if (isNodeStyleApp(app, { twoParameters: true })) return nodeAppFetch(app);
  if (typeof app === "function") return app as (request: Request) => unknown;
  if (app && typeof app === "object" && typeof (app as { fetch?: unknown }).fetch === "function") {
    const fetchable = app as { fetch(request: Request): unknown };
    return (request) => fetchable.fetch(request);
  }
  throw new TypeError(`[nitrokit] app.mount(${JSON.stringify(base)}, app): ${unservableReason(app, MOUNTABLE)}`);
}

/** Nitro's path middleware covers the path and everything below it: `/admin` → `/admin/**`. */
export function prefixPattern(path: string): string {
  if (path.includes("*") || path.includes(":")) return path;
  return path === "/" ? "/**" : `${path.replace(/\/+$/, "")}/**`;
}

/** The config's `baseURL` as a prefix for patterns: `""` for the root, no trailing slash (`/app/` → `/app`). */
export function normalizeBase(baseURL: string | undefined): string {
  if (!baseURL || baseURL === "/") return "";
  return baseURL.replace(/\/+$/, "");
}
