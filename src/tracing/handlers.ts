/**
 * Spans for each middleware (`middleware <name>`) and route handler (`handler <METHOD> <route>`),
 * through `instrumentation()` (OpenTelemetry, Server-Timing's timer, or both). Each call is
 * also published on h3's `h3.request` tracing channel, as h3's own tracing plugin publishes
 * it, so any other subscriber (an APM listening to h3) sees the same events. No OpenTelemetry
 * import here: Server-Timing uses it without tracing.
 */
import { H3, type EventHandler, type H3Event, type Middleware } from "h3";
import { instrumentation, type TraceAttributes } from "../app/instrumentation.js";
import { kMiddlewareSource, type MiddlewareSource } from "../app/registration.js";
import { wrapsHandler } from "../app/route-registry.js";

/** Message published on h3's `h3.request` channel, as h3's own tracing plugin publishes it. */
interface H3TraceMessage {
  event: H3Event;
  type: "middleware" | "route";
}
interface TracingChannel {
  hasSubscribers?: boolean;
  tracePromise<T>(fn: () => Promise<T>, message: H3TraceMessage): Promise<T>;
}

/** Apps whose handlers are wrapped already. */
const instrumented = new WeakSet<H3>();

type Wrapped = { "~nitrokitTraced"?: true };
type RouteEntry = { handler: EventHandler; middleware?: Middleware[]; route?: string; "~composed"?: unknown };

/**
 * Wraps the app's middleware and route handlers, those registered already and those to come,
 * in spans (`middleware <name>`, `handler <METHOD> <route>`).
 */
export function traceHandlers(h3: H3): void {
  if (instrumented.has(h3)) return;
  instrumented.add(h3);
  const channel = h3Channel();
  const span = <T>(name: string, attributes: TraceAttributes, fn: () => T): T => {
    const spans = instrumentation();
    return spans ? spans.span(name, attributes, fn) : fn();
  };
  const traceMiddleware = (middleware: Middleware, name: string): Middleware => {
    const traced: Middleware = (event, next) => {
      const spans = instrumentation();
      if (!spans) return middleware(event, next);
      const attributes = { "nitrokit.middleware.name": name, "http.route": event.context.matchedRoute?.route };
      return published(channel, { event, type: "middleware" }, () =>
        spans.passing(`middleware ${name}`, attributes, (handOff) => middleware(event, () => handOff(next))),
      );
    };
    return mark(traced);
  };
  const wrapMiddleware = (middleware: Middleware, given?: MiddlewareSource): Middleware => {
    if ((middleware as Wrapped)["~nitrokitTraced"]) return middleware;
    const source = given ?? (middleware as Middleware & { [kMiddlewareSource]?: MiddlewareSource })[kMiddlewareSource];
    const named = source?.input.name || middleware.name;
    const name = named && named !== "anonymous" ? named : "<anonymous>";
    if (!source || (!source.route && !source.options?.method && !source.options?.match)) return traceMiddleware(middleware, name);
    // Scoped to a path or method: h3 made a matcher around the user's function. Made again around
    // the traced function, so a request the middleware does not apply to gets no span.
    const scratch = new H3();
    const traced = traceMiddleware(source.input, name);
    if (source.route) scratch.use(source.route, traced, source.options);
    else scratch.use(traced, source.options);
    const rebuilt = scratch["~middleware"][0]!;
    Object.defineProperty(rebuilt, "name", { value: name });
    return mark(rebuilt);
  };
  const wrapRoute = (route: RouteEntry): void => {
    const handler = route.handler;
    if (!(handler as Wrapped)["~nitrokitTraced"]) {
      const traced: EventHandler = (event) =>
        published(channel, { event, type: "route" }, () =>
          span(`handler ${event.req.method} ${route.route ?? ""}`.trimEnd(), { "http.route": route.route }, () => handler(event)),
        );
      traced.meta = handler.meta;
      // The registry still knows the route by what it was registered with (the server entry, lazy loaders, route meta).
      route.handler = mark(wrapsHandler(traced, handler));
    }
    if (route.middleware) route.middleware = route.middleware.map((middleware) => wrapMiddleware(middleware));
    route["~composed"] = undefined;
  };

  const internals = h3 as unknown as { "~middleware": Middleware[]; "~routes": RouteEntry[]; "~addRoute"(route: RouteEntry): void; "~dispatch"?: unknown; "~composed"?: unknown };
  // In place: the router (rou3) holds these very route objects, and the route rules the middleware array.
  const middleware = internals["~middleware"];
  for (let i = 0; i < middleware.length; i++) middleware[i] = wrapMiddleware(middleware[i]!);
  for (const route of internals["~routes"]) wrapRoute(route);
  internals["~dispatch"] = internals["~composed"] = undefined;

  const addRoute = internals["~addRoute"].bind(h3);
  internals["~addRoute"] = (route) => {
    wrapRoute(route);
    addRoute(route);
  };
  const use = h3.use.bind(h3) as (...args: unknown[]) => H3;
  (h3 as { use: (...args: unknown[]) => H3 }).use = (...args) => {
    const from = internals["~middleware"].length;
    use(...args);
    const list = internals["~middleware"];
    // What h3 was given, as registration records it for middleware added before tracing started.
    const source: MiddlewareSource | undefined =
      typeof args[0] === "string" ? { input: args[1] as Middleware, route: args[0], options: args[2] as MiddlewareSource["options"] } : typeof args[0] === "function" ? { input: args[0] as Middleware, options: args[1] as MiddlewareSource["options"] } : undefined;
    for (let i = from; i < list.length; i++) list[i] = wrapMiddleware(list[i]!, typeof source?.input === "function" && list.length - from === 1 ? source : undefined);
    internals["~dispatch"] = internals["~composed"] = undefined;
    return h3;
  };
}

function mark<T extends object>(fn: T): T {
  (fn as Wrapped)["~nitrokitTraced"] = true;
  return fn;
}

/** h3's `h3.request` tracing channel, where `diagnostics_channel` exists (Node, Bun, Deno, Workers with nodejs_compat). */
function h3Channel(): TracingChannel | undefined {
  const diagnostics = globalThis.process?.getBuiltinModule?.("node:diagnostics_channel") as
    | { tracingChannel?: (name: string) => TracingChannel }
    | undefined;
  return diagnostics?.tracingChannel?.("h3.request");
}

/** Publishes the call on h3's channel when someone listens there; otherwise just makes it. */
function published<T>(channel: TracingChannel | undefined, message: H3TraceMessage, fn: () => T): T | Promise<Awaited<T>> {
  if (!channel?.hasSubscribers) return fn();
  return channel.tracePromise(async () => fn(), message) as Promise<Awaited<T>>;
}
