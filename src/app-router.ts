import {
  H3,
  defineLazyEventHandler,
  toEventHandler,
  toMiddleware,
  type HTTPMethod,
  type LazyEventHandler,
  type Middleware,
  type MiddlewareOptions,
  type RouteOptions,
} from "h3";
import type { MountableApp, RouteHandlerInput } from "./app-types.js";
import type { NitroHandlerConfig } from "./config.js";
import type { RouteCatalog } from "./openapi/catalog.js";
import { prefixPattern } from "./route-paths.js";
import type { RequestHooks } from "./request-hooks.js";
import type { RouteSource, RouteTable } from "./route-table.js";
import { toRouteHandler, type RouteInput } from "./typed/define.js";

/** Lower-case method names of the registration methods; `""` registers for every method. */
export type MethodName = Lowercase<Exclude<HTTPMethod, "CONNECT" | "TRACE" | "QUERY">> | "";

/**
 * Where an app's registrations go: h3's router (handlers wrapped for the response
 * hooks), the route table that tells 404 from 405 and lists routes for the CLI,
 * and the OpenAPI catalog when it is on. Every path gets the app's `baseURL`.
 */
export class AppRouter {
  constructor(
    readonly h3: H3,
    readonly routes: RouteTable,
    readonly requestHooks: RequestHooks,
    readonly baseURL: string,
    readonly catalog: RouteCatalog | undefined,
  ) {}

  /** A route for `method` (or every method with `""`): a handler, or a validated route `{ validate, handler }`. */
  on(method: MethodName, path: string, input: RouteInput, options?: RouteOptions, source?: RouteSource): void {
    if (typeof path !== "string" || !path.startsWith("/")) {
      throw new TypeError(`[nitrokit] Route path must start with '/': received ${JSON.stringify(path)}.`);
    }
    const handler = toRouteHandler(input);
    const eventHandler = toEventHandler(handler);
    if (!eventHandler) throw new TypeError(`[nitrokit] ${method.toUpperCase() || "ALL"} ${path}: handler must be a function, an H3 app or an object with fetch().`);
    const route = this.withBase(path);
    this.h3.on(method.toUpperCase() as HTTPMethod | "", route, this.requestHooks.observe(eventHandler), options);
    this.routes.add(method, route, source ?? { handler });
    this.catalog?.add(method, path, handler, options?.meta);
  }

  /** A route in Nitro's `handlers` shape (`lazy` loaders, `middleware: true`). */
  route(definition: NitroHandlerConfig): void {
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
    if (typeof pathOrMiddleware === "string") {
      this.h3.use(prefixPattern(this.withBase(pathOrMiddleware)), middlewareOrOptions as Middleware | H3, options);
    } else {
      this.h3.use(pathOrMiddleware, middlewareOrOptions as MiddlewareOptions | undefined);
    }
  }

  mount(base: string, app: MountableApp): void {
    const prefix = this.withBase(base).replace(/\/$/, "");
    this.h3.mount(prefix || "/", app);
    if (app instanceof H3) {
      for (const route of app["~routes"]) this.routes.add(route.method ?? "", prefix + (route.route ?? "/"), { handler: route.handler, mounted: true });
    } else {
      this.routes.add("", `${prefix}/**`, { handler: app, mounted: true });
    }
  }

  withBase(path: string): string {
    if (!this.baseURL) return path;
    return path === "/" ? this.baseURL : this.baseURL + path;
  }
}
