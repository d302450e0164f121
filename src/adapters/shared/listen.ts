/** Listening options every server adapter accepts, read the same way on each runtime. */
export interface ListenOptions {
  /** Port to listen on. Default: `PORT` from the environment, else 3000. `0` picks a free port. */
  port?: number | string;
  /** Interface to bind. Default: `HOST` from the environment, else every interface. */
  hostname?: string;
  /**
   * Stop gracefully on SIGTERM/SIGINT: stop accepting, let requests in flight finish
   * (up to `timeout` ms, default 10 000), close WebSocket peers (1001), then
   * `app.close()` and exit. `false` leaves signals alone. Default: on.
   */
  gracefulShutdown?: boolean | { timeout?: number };
  /** Do not print the listening address. */
  silent?: boolean;
}

export const DEFAULT_SHUTDOWN_TIMEOUT = 10_000;

function env(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
}

/** The port to listen on: the option, else `PORT`, else 3000; throws on anything that is not a port. */
export function resolvePort(port: number | string | undefined): number {
  const value = port ?? env("PORT") ?? 3000;
  const parsed = typeof value === "number" ? value : Number.parseInt(value, 10);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535 || (typeof value === "string" && !/^\d+$/.test(value.trim()))) {
    throw new RangeError(`[nitrokit] serve(): invalid port ${JSON.stringify(value)}.`);
  }
  return parsed;
}

/** The interface to bind: the option, else `HOST`, else every interface (`undefined`). */
export function resolveHostname(hostname: string | undefined): string | undefined {
  return hostname ?? (env("HOST") || undefined);
}

/** How long a graceful shutdown waits for requests in flight. */
export function shutdownTimeout(option: ListenOptions["gracefulShutdown"]): number {
  return typeof option === "object" ? (option.timeout ?? DEFAULT_SHUTDOWN_TIMEOUT) : DEFAULT_SHUTDOWN_TIMEOUT;
}

/** `http://127.0.0.1:3000/`; the wildcard addresses print as `localhost`. */
export function formatURL(address: string, port: number): string {
  const host = address.includes(":") ? `[${address}]` : address;
  return `http://${host === "[::]" || host === "0.0.0.0" ? "localhost" : host}:${port}/`;
}

/** Resolves with `"timeout"` after `ms` unless `promise` settles first; the timer never outlives the race. */
export async function withinTimeout(promise: Promise<unknown>, ms: number): Promise<"done" | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"timeout">((resolve) => (timer = setTimeout(resolve, ms, "timeout")));
  try {
    return await Promise.race([promise.then(() => "done" as const, () => "done" as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether `request` asks to become a WebSocket. */
export function isWebSocketUpgrade(request: Request): boolean {
  const upgrade = request.headers.get("upgrade");
  return upgrade !== null && upgrade.toLowerCase() === "websocket";
}

/** The error a listen failure rejects `ready()` with: a port in use says so, with what to do. */
export function portError(error: unknown, port: number): Error {
  const failure = error instanceof Error ? error : new Error(String(error));
  const code = (failure as { code?: string }).code;
  if (code === "EADDRINUSE" || failure.name === "AddrInUse") {
    failure.message = `[nitrokit] Port ${port} is already in use (try another with { port } or PORT). ${failure.message}`;
  }
  return failure;
}
