import type { NitroApp } from "../types/app.js";
import { CliError, describeError } from "./errors.js";

/** `app.ready()`, with a failure turned into a {@link CliError} (and the half-started app closed). */
export async function readyOrFail(app: NitroApp): Promise<NitroApp> {
  try {
    return await app.ready();
  } catch (error) {
    await app.close().catch(() => undefined);
    throw new CliError(`The app failed to start: ready() threw.\n${describeError(error)}`, { cause: error });
  }
}
