import type { H3EventContext } from "h3";
import { assertNitroApp } from "../../app/is-app.js";
import type { NitroApp } from "../../types/app.js";
import { scopeEveryRequestFromNowOn } from "../../app/context.js";
import { decorateRequest, isWebSocketUpgrade } from "../shared/request.js";
import { tasksForCron } from "./scheduled.js";
import type { CloudflareRequestContext, NitroWorker, WorkerEnv } from "./types.js";
import { registerWorkerModules } from "./bundled-modules.js";
import { createWorkerWebSockets } from "./websocket.js";

/**
 * The app as a Cloudflare Workers module: `export default toWorker(app)`.
 *
 * - `fetch`: every request runs through the app with `event.context.cloudflare =
 *   { env, context }`, so `useRuntimeConfig(event)` overlays the worker's variables
 *   (`NITRO_*`) per request, `event.waitUntil()` and SWR cache refreshes ride on
 *   `ctx.waitUntil`, and WebSocket routes upgrade (per isolate, see the docs).
 * - `scheduled`: a cron trigger runs the tasks `scheduledTasks` lists under the same
 *   expression, with `{ scheduledTime }` as payload and `context.cloudflare`; a failing
 *   task fails the invocation. The app arms no timers of its own on Workers.
 *
 * Storage and database by binding name: `storage: { data: { driver: "cloudflare-kv-binding",
 * binding: "KV" } }`, `database: { default: { connector: "cloudflare-d1", options: {
 * bindingName: "DB" } } }`. Defaults: `data` in memory (per isolate), `cache` in an LRU,
 * `sqlite` = D1 through the binding `DB`. Needs the `nodejs_compat` flag (AsyncLocalStorage).
 *
 * @example
 * import { toWorker } from "nitrokit/workers";
 * import { app } from "./app.js";
 * export default toWorker(app);
 */
export function toWorker<Env extends object = WorkerEnv>(app: NitroApp): NitroWorker<Env> {
  assertNitroApp(app, "toWorker(app)");
  registerWorkerModules();
  app["~scheduleExternally"]();
  // workerd's AsyncLocalStorage is native: scope every request, so `useEvent()` and waitUntil reach it.
  scopeEveryRequestFromNowOn();
  const upgrade = createWorkerWebSockets(app["~websockets"]);

  return {
    fetch(request, env, ctx) {
      exposeBindings(env);
      const cloudflare = { env, context: ctx };
      const requestContext = { cloudflare } as CloudflareRequestContext<Env>;
      if (isWebSocketUpgrade(request)) {
        // One context object for crossws (peer.context) and h3 (event.context).
        return upgrade(Object.assign(request, { context: requestContext }), env as WorkerEnv, ctx);
      }
      // `runtime`, `ip` and `waitUntil` as srvx's Cloudflare adapter sets them (defined so the body limit's Proxy can serve them).
      const decorated = decorateRequest(request, { name: "cloudflare", cloudflare } as never, () => request.headers.get("cf-connecting-ip") ?? undefined, (promise) => ctx.waitUntil(promise));
      return app.fetch(decorated, requestContext as unknown as H3EventContext);
    },
    async scheduled(controller, env, ctx) {
      exposeBindings(env);
      const names = tasksForCron(app.config.scheduledTasks as Record<string, unknown> | undefined, controller.cron);
      if (names.length === 0) {
        console.warn(`[nitrokit] Cron trigger '${controller.cron}' matches no scheduledTasks entry; nothing to run.`);
        return;
      }
      const context = { cloudflare: { env, context: ctx } } as CloudflareRequestContext<Env>;
      const runs = await Promise.allSettled(
        names.map((name) => app.runTask(name, { payload: { scheduledTime: controller.scheduledTime }, context: context as unknown as Record<string, unknown> })),
      );
      const failures = runs.filter((run): run is PromiseRejectedResult => run.status === "rejected").map((run) => run.reason as unknown);
      // Each failure already went to the app's `error` hook; failing the invocation shows it in the trigger's log.
      if (failures.length > 0) throw new AggregateError(failures, `[nitrokit] ${failures.length} of ${names.length} scheduled task(s) failed for '${controller.cron}'.`);
    },
  };
}

/**
 * unstorage's binding drivers look a binding given by name up on `globalThis.__env__`
 * (db0's D1 connector reads `cloudflare:workers`' env). Workers hand every request of
 * an isolate the same `env`.
 */
function exposeBindings(env: object): void {
  (globalThis as { __env__?: object }).__env__ = env;
}
