/**
 * Runs `fn` with `console.log/info/debug` sent to stderr, so what the user's module
 * and plugins print never mixes into output meant for a pipe (`routes --json`,
 * `task run`'s result).
 */
export async function withUserOutputOnStderr<T>(fn: () => Promise<T>): Promise<T> {
  const saved = { log: console.log, info: console.info, debug: console.debug };
  console.log = console.info = console.debug = console.error;
  try {
    return await fn();
  } finally {
    Object.assign(console, saved);
  }
}

/** Writes `value` as indented JSON to stdout. */
export function printJSON(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value ?? null, null, 2)}\n`);
}
