import type { H3EventContext } from "h3";
import type { NitroApp } from "../../types/app.js";
import { scopeEveryRequestFromNowOn } from "../../app/context.js";
import { assertNitroApp } from "../../app/is-app.js";
import { decorateRequest } from "../shared/request.js";

/** The parts of Netlify's `context` (Functions v2 and Edge Functions) nitrokit reads; the rest is passed on as is. */
export interface NetlifyContext {
  /** Keeps the function alive for background work after the response. */
  waitUntil?(promise: Promise<unknown>): void;
  /** The client's address. */
  ip?: string;
  [key: string]: unknown;
}

/** `(request, context) => Response`, the signature Netlify Functions v2 and Edge Functions call. */
export type NetlifyHandler = (request: Request, context?: NetlifyContext) => Promise<Response>;

/**
 * The app as a Netlify Function (v2) or Edge Function: `export default toNetlifyHandler(app)`.
 *
 * Why not `export default app.fetch`: Netlify calls it with `(request, context)`, and
 * `app.fetch`'s second argument is h3's `event.context`, so Netlify's context object
 * would become the event context (and be written to by the router), while
 * `event.waitUntil()` and SWR cache refreshes would find no platform primitive. Here,
 * Netlify's context is `event.context.netlify` (and `event.runtime.netlify`),
 * `event.waitUntil()` rides on `context.waitUntil`, and `getRequestIP()` reads `context.ip`.
 *
 * @example
 * // netlify/functions/app.mjs
 * import { toNetlifyHandler } from "nitrokit/netlify";
 * import { app } from "../../app.js";
 * export default toNetlifyHandler(app);
 * export const config = { path: "/*" };
 */
export function toNetlifyHandler(app: NitroApp): NetlifyHandler {
  assertNitroApp(app, "toNetlifyHandler(app)");
  // An instance lives for its requests: schedules run as Netlify scheduled functions calling runTask, not as timers here.
  app["~scheduleExternally"]();
  // Serverless: background work must reach the platform's waitUntil, which needs the request scope.
  scopeEveryRequestFromNowOn();
  return (request, context) => {
    const netlify = context ?? {};
    const decorated = decorateRequest(
      request,
      { name: "netlify", netlify } as never,
      () => netlify.ip ?? request.headers.get("x-nf-client-connection-ip") ?? undefined,
      (promise) => netlify.waitUntil?.(promise),
    );
    return app.fetch(decorated, { netlify } as unknown as H3EventContext);
  };
}
