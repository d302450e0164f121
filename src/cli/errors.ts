/** Exit code: the command ran and failed: missing entry, no app, port in use, a task that threw. */
export const EXIT_FAILURE = 1;
/** Exit code: the command line itself is wrong: bad `--payload` JSON, an invalid `--port`. */
export const EXIT_USAGE = 2;

/** An error the command reports as one clear message (no stack) and exits with `exitCode`. */
export class CliError extends Error {
  readonly exitCode: number;
  /** An extra line telling the user what to do next. */
  readonly hint: string | undefined;

  constructor(message: string, options: { exitCode?: number; hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "CliError";
    this.exitCode = options.exitCode ?? EXIT_FAILURE;
    this.hint = options.hint;
  }
}

/**
 * The text to show for an error thrown by the user's code: its stack (which for a
 * syntax error starts with the file, line and code frame) without Node's and the
 * loader's own frames, which say nothing about the user's code.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error instanceof CliError) return error.hint ? `${error.message}\n${error.hint}` : error.message;
  const stack = error.stack ?? `${error.name}: ${error.message}`;
  const lines = stack.split("\n").filter((line) => !/^\s+at .*(node:internal|node_modules[\\/]jiti[\\/]|\(native\))/.test(line));
  return lines.join("\n");
}
