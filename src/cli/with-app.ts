import type { NitroApp } from "../types/app.js";
import { resolveEntry } from "./entry.js";
import { loadApp } from "./load-app.js";
import { readyOrFail } from "./start-app.js";
import { withUserOutputOnStderr } from "./user-output.js";

/**
 * For one-shot commands: loads the entry's app, readies it, runs `fn` with it and
 * closes it, with the user's console output on stderr.
 */
export function withApp<T>(entry: string | undefined, fn: (app: NitroApp) => Promise<T> | T): Promise<T> {
  return withUserOutputOnStderr(async () => {
    const app = await readyOrFail(await loadApp(resolveEntry(entry), { dev: false }));
    try {
      return await fn(app);
    } finally {
      await app.close();
    }
  });
}
