import { clusterWorker } from "../server/cluster/worker.js";
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
    code = error instanceof CliError ? error.exitCode : EXIT_FAILURE;
    // A cluster worker hands its failure to the primary, which prints it once for all workers.
    const worker = clusterWorker();
    if (worker) await worker.send({ type: "failed", message: describeError(error), exitCode: code }).catch(() => log.error(describeError(error)));
    else log.error(describeError(error));
    process.exit(code);
  }
  if (options.exit) process.exit(code);
}
