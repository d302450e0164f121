/**
 * `nitrokit/workers`: the app as a Cloudflare Workers module (`export default toWorker(app)`),
 * with env per request, `waitUntil`, cron triggers for `scheduledTasks`, KV/R2/D1 bindings
 * by name, and WebSockets per isolate. Needs the `nodejs_compat` compatibility flag.
 * @module
 */
export { toWorker } from "./workers/worker.js";
export type { CloudflareRequestContext, NitroWorker, WorkerEnv, WorkerExecutionContext, WorkerScheduledController } from "./workers/types.js";
