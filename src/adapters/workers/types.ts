/** What Workers hand every handler: `waitUntil` keeps the isolate alive for background work. */
export interface WorkerExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException?(): void;
}

/** A cron trigger firing (`scheduled` handler's first argument). */
export interface WorkerScheduledController {
  /** The cron expression as written in the worker's triggers. */
  readonly cron: string;
  /** When the trigger was due, in ms since the epoch. */
  readonly scheduledTime: number;
  noRetry?(): void;
}

/** The bindings and variables of a worker (`env`). */
export type WorkerEnv = Record<string, unknown>;

/** The module worker `toWorker()` returns: `export default toWorker(app)`. */
export interface NitroWorker<Env extends object = WorkerEnv> {
  fetch(request: Request, env: Env, ctx: WorkerExecutionContext): Promise<Response>;
  scheduled(controller: WorkerScheduledController, env: Env, ctx: WorkerExecutionContext): Promise<void>;
}

/** `event.context.cloudflare`, as Nitro's Cloudflare presets set it. */
export interface CloudflareRequestContext<Env extends object = WorkerEnv> {
  cloudflare: { env: Env; context: WorkerExecutionContext };
}
