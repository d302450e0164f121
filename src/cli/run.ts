import { describeError, EXIT_FAILURE, CliError } from "./errors.js";
import * as log from "./log.js";

/**
 * Runs a command body: a {@link CliError} (or anything else thrown) is printed as one
 * message and ends the process with its exit code. One-shot commands pass `exit: true`
 * to end the process when they are done, whatever the user's app left open.
 */
export async function runCommand(body: () => Promise<number | void>, options: { exit?: boolean } = {}): Promise<void> {
  let code: number;
  try {
    code = (await body()) ?? 0;
  } catch (error) {
    log.error(describeError(error));
    code = error instanceof CliError ? error.exitCode : EXIT_FAILURE;
    process.exit(code);
  }
  if (options.exit) process.exit(code);
}
