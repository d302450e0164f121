import type { H3EventContext } from "h3";
import type { NitroApp } from "../types/app.js";
import type { RouteTable } from "./route-registry.js";
import type { AppWebSockets } from "../ws/app-websockets.js";

/** What the adapters and the CLI need from an app beyond its public surface. */
export interface AppInternals {
  /** Serves a request as `app.fetch` does (body limit included), without wrapping a synchronous answer in a promise. */
  handle(request: Request, context?: H3EventContext): Response | Promise<Response>;
  readonly routes: RouteTable;
  readonly maxRequestBodySize: number;
  readonly websockets: AppWebSockets;
  /** The platform fires `scheduledTasks` (Workers cron triggers): `ready()` arms no timers. */
  scheduleExternally(): void;
}

const internalsByApp = new WeakMap<object, AppInternals>();

/** Called once by each app as it is created. */
export function registerAppInternals(app: object, internals: AppInternals): void {
  internalsByApp.set(app, internals);
}

/** Adapter access to an app created by `createNitroApp()`. */
export function appInternals(app: NitroApp): AppInternals {
  const internals = internalsByApp.get(app);
  if (!internals) throw new TypeError("[nitrokit] Expected an app created by createNitroApp().");
  return internals;
}
