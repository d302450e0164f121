import type { H3Event, HTTPError } from "h3";
import type { NitroErrorHandler } from "../types/app.js";
import { methodNotAllowed, notFound, runErrorHandlers } from "../errors/error-response.js";
import type { RouteTable } from "./route-registry.js";

/** What answering a failed request needs from the app. */
export interface RequestErrorContext {
  routes: RouteTable;
  errorHandlers: readonly NitroErrorHandler[];
  dev: boolean;
  /** Hands the error to the app's `error` hook. */
  report(error: Error): Promise<void>;
}

/**
 * The app's answer to a request that failed: h3's "no route" becomes 404 or 405,
 * an unhandled error is logged with its stack (the client never sees it) and
 * reported, then the custom error handlers and the default one answer.
 */
export async function answerRequestError(error: HTTPError, event: H3Event, context: RequestErrorContext): Promise<Response> {
  if (error.status === 404 && !event.context.matchedRoute) {
    // h3 found no route: tell "no such path" from "not with this method".
    const methods = context.routes.methodsFor(event.url.pathname);
    error = methods && !methods.has("") && !methods.has(event.req.method) ? methodNotAllowed(event, [...methods]) : notFound(event);
  }
  // Report what was thrown, not h3's wrapper, so error trackers see the real type and stack.
  const original = error.unhandled && error.cause instanceof Error ? error.cause : error;
  if (error.unhandled) console.error(`[nitrokit] ${event.req.method} ${event.url.pathname}:`, original);
  await context.report(original);
  return runErrorHandlers(context.errorHandlers, error, event, context.dev);
}
