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
   * (up to `timeout` ms: default `NITRO_SHUTDOWN_TIMEOUT`, else 10 000), close WebSocket
   * peers (1001), then `app.close()` and exit. `false` leaves signals alone. Default: on,
   * unless `NITRO_SHUTDOWN_DISABLED=true` (Nitro's name).
   */
  gracefulShutdown?: boolean | { timeout?: number };
  /** Do not print the listening address. */
  silent?: boolean;
  /**
   * Whether `X-Forwarded-For`, `X-Forwarded-Proto` and `X-Forwarded-Host` shape the
   * request's IP (`getRequestIP(event)`, `request.ip`), protocol and host (`event.url`,
   * `getRequestURL(event)`). Off by default: any client can send those headers. Turn it on
   * behind a reverse proxy you run: `true` trusts every hop, `"loopback"` a proxy on this
   * machine, a list of addresses only those proxies.
   * @default false
   */
  trustProxy?: boolean | "loopback" | string[];
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

/**
 * How long a graceful shutdown waits for requests in flight: the option, else
 * `NITRO_SHUTDOWN_TIMEOUT` (ms, Nitro's name), else 10 000.
 */
export function shutdownTimeout(option: ListenOptions["gracefulShutdown"]): number {
  if (typeof option === "object" && option.timeout !== undefined) return option.timeout;
  const fromEnv = env("NITRO_SHUTDOWN_TIMEOUT");
  if (fromEnv === undefined) return DEFAULT_SHUTDOWN_TIMEOUT;
  const parsed = /^\d+$/.test(fromEnv.trim()) ? Number(fromEnv) : Number.NaN;
  if (!Number.isSafeInteger(parsed)) throw new RangeError(`[nitrokit] NITRO_SHUTDOWN_TIMEOUT must be a number of milliseconds, got ${JSON.stringify(fromEnv)}.`);
  return parsed;
}

/** Whether signals stop the server gracefully: the option, else on unless `NITRO_SHUTDOWN_DISABLED=true`. */
export function gracefulShutdownEnabled(option: ListenOptions["gracefulShutdown"]): boolean {
  if (option !== undefined) return option !== false;
  return env("NITRO_SHUTDOWN_DISABLED")?.trim().toLowerCase() !== "true";
}

/** `http://127.0.0.1:3000/` (`https://…` when `secure`); the wildcard addresses print as `localhost`. */
export function formatURL(address: string, port: number, secure = false): string {
  const host = address.includes(":") ? `[${address}]` : address;
  return `${secure ? "https" : "http"}://${host === "[::]" || host === "0.0.0.0" ? "localhost" : host}:${port}/`;
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
export function portError(error: unknown, port: number, socket?: string): Error {
  const failure = error instanceof Error ? error : new Error(String(error));
  if (isPortInUse(failure) && socket !== undefined) {
    failure.message = `[nitrokit] Socket ${socket} is already in use (another server listens on it, or a stale file was left behind: remove it). ${failure.message}`;
  } else if (isPortInUse(failure)) {
    failure.message = `[nitrokit] Port ${port} is already in use (try another with { port } or PORT). ${failure.message}`;
  }
  return failure;
}
