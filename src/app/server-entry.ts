import { HTTPError, toEventHandler, type EventHandler, type H3Event } from "h3";
import type { ConfigModules } from "../config/modules.js";
import type { RouteSource } from "./route-registry.js";
import { isNodeStyleApp, nodeAppFetch, requestAt, unservableReason, type NodeStyleApp } from "./node-apps.js";
import type { NitroServerEntryConfig, NitroServerEntryOption } from "../types/server-entry.js";


const ACCEPTED = "an h3 handler, an H3 or Hono app (an object with fetch()), a Node.js (req, res[, next]) app such as Express, or a module path";

// h3's "no route here" marker (not exported by h3; registered under this global symbol name).
const kNotFound = Symbol.for("h3.notFound");

/** True for a handler result that answers nothing: the request goes on. */
function unanswered(value: unknown): boolean {
  return value === undefined || value === kNotFound;
}

/**
 * Ends a request no one answered as if no route had matched, so the app's error path
 * tells 404 from 405 by the routes registered for the path.
 */
function continuePastRoute(event: H3Event): never {
  delete event.context.matchedRoute;
  throw new HTTPError({ status: 404 });
}

/**
 * Wraps a catch-all route (the server entry, a mounted app) so that returning nothing
 * continues the request (to the 404, or 405) instead of sending an empty 200.
 */
export function continueWhenUnanswered(handler: (event: H3Event) => unknown): EventHandler {
  return function continuing(event) {
    const result = handler(event);
    if (typeof (result as Promise<unknown> | undefined)?.then === "function") {
      return (result as Promise<unknown>).then((value) => (unanswered(value) ? continuePastRoute(event) : value));
    }
    return unanswered(result) ? continuePastRoute(event) : result;
  };
}

function isEntryConfig(value: object): value is NitroServerEntryConfig {
  // An H3 app has `handler` too, but also h3's class marker (and fetch()).
  return "handler" in value && !("fetch" in value) && !(value.constructor as { "~h3"?: boolean } | undefined)?.["~h3"];
}

/**
 * The server entry as an h3 handler. A module path is imported on the first request
 * (`ready()` checks that it exists); anything that cannot serve requests is refused here.
 */
export function serverEntryHandler(option: Exclude<NitroServerEntryOption, false>, modules: ConfigModules): EventHandler {
  let entry = option;
  let format: "web" | "node" | undefined;
  if (entry && typeof entry === "object" && isEntryConfig(entry)) {
    format = entry.format;
    entry = entry.handler;
  }
  if (typeof entry === "string") {
    const path = entry;
    const fileFormat = format ?? (/\.node\.\w+$/.test(path) ? "node" : undefined);
    return modules.handler(path, (file, exported) => entryHandler(exported, fileFormat, file));
  }
  return entryHandler(entry, format, "serverEntry");
}

/** What `nitrokit routes` lists for the entry: its module path (loaded lazily), or the value. */
export function serverEntrySource(option: Exclude<NitroServerEntryOption, false>): RouteSource {
  const entry = option && typeof option === "object" && isEntryConfig(option) ? option.handler : option;
  return typeof entry === "string" ? { handler: entry, lazy: true } : { handler: entry };
}

function entryHandler(entry: unknown, format: "web" | "node" | undefined, where: string): EventHandler {
  if (format === "node" ? typeof entry === "function" : isNodeStyleApp(entry, { twoParameters: false })) {
    const serve = nodeAppFetch(entry as NodeStyleApp);
    return (event) => serve(event.url.href === event.req.url ? event.req : requestAt(event.req, event.url.href));
  }
  const handler = toEventHandler(entry as Parameters<typeof toEventHandler>[0]);
  if (!handler) throw new TypeError(`[nitrokit] ${where}: ${unservableReason(entry, ACCEPTED)}`);
  return handler;
}
