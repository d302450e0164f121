/**
 * Reading the listening options the same way on Node, Bun and Deno (and in the
 * CLI): port and host from the options or the environment, the URL printed, the
 * "port in use" message.
 */

/** Listening options every server adapter accepts, read the same way on each runtime. */
export interface ListenOptions {
  /** Port to listen on. Default: `PORT` (or `NITRO_PORT`) from the environment, else 3000. `0` picks a free port. */
  port?: number | string;
  /** Interface to bind. Default: `HOST` (or `NITRO_HOST`) from the environment, else every interface. */
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

/** Bun and Deno expose `process.env` too; reading it through `globalThis` keeps this module free of `node:*`. */
function env(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name] || undefined;
}

/** The port as configured: the option, else `PORT`, else `NITRO_PORT` (Nitro's own name), else 3000. */
export function configuredPort(port: number | string | undefined): number | string {
  return port ?? env("PORT") ?? env("NITRO_PORT") ?? 3000;
}

/** Whether `value` is a port: an integer from 0 to 65535, written in digits only when a string. */
export function isValidPort(value: number | string): boolean {
  const parsed = typeof value === "number" ? value : /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  return Number.isInteger(parsed) && parsed >= 0 && parsed <= 65535;
}

/** The port to listen on (see {@link configuredPort}); throws on anything that is not a port. */
export function resolvePort(port: number | string | undefined): number {
  const value = configuredPort(port);
  if (!isValidPort(value)) throw new RangeError(`[nitrokit] serve(): invalid port ${JSON.stringify(value)}.`);
  return Number(value);
}

/** The interface to bind: the option, else `HOST`, else `NITRO_HOST`, else every interface (`undefined`). */
export function resolveHostname(hostname: string | undefined): string | undefined {
  return hostname || env("HOST") || env("NITRO_HOST");
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

/** Whether a listen failure means the port is taken: Node and Bun say `EADDRINUSE`, Deno throws `AddrInUse`. */
export function isPortInUse(error: unknown): boolean {
  return error instanceof Error && ((error as { code?: string }).code === "EADDRINUSE" || error.name === "AddrInUse");
}

/** The error a listen failure rejects `ready()` with: a port in use says so, with what to do. */
export function portError(error: unknown, port: number): Error {
  const failure = error instanceof Error ? error : new Error(String(error));
  if (isPortInUse(failure)) {
    failure.message = `[nitrokit] Port ${port} is already in use (try another with { port } or PORT). ${failure.message}`;
  }
  return failure;
}
