import { watch } from "chokidar";
import { relative, sep } from "node:path";
import * as log from "../log.js";

/** A file event under the project root. */
export interface FileChange {
  event: "add" | "change" | "unlink";
  path: string;
}

/** Directories never worth a reload: packages, and dot-directories (`.git`, `.data` storage, caches). */
function isIgnored(root: string, path: string): boolean {
  const parts = relative(root, path).split(sep);
  return parts.some((part) => part === "node_modules" || (part.startsWith(".") && part !== "." && part !== ".."));
}

/** Source files: a new or removed one may be a new route (filesystem routing). */
export const SOURCE_FILE = /\.(?:[cm]?[jt]sx?|json)$/;

/**
 * Watches the project root (recursively, minus {@link isIgnored}) and reports changes
 * in batches: editors write a file in several steps, which should cause one reload.
 * Resolves once the initial scan is done, so no edit made after it is missed.
 */
export async function watchProject(root: string, onChanges: (changes: FileChange[]) => void, debounce = 50): Promise<{ close(): Promise<void> }> {
  const watcher = watch(root, { ignoreInitial: true, ignored: (path) => isIgnored(root, path), atomic: true });
  let batch: FileChange[] = [];
  let timer: NodeJS.Timeout | undefined;
  watcher.on("all", (event, path) => {
    if (event !== "add" && event !== "change" && event !== "unlink") return;
    batch.push({ event, path });
    clearTimeout(timer);
    timer = setTimeout(() => {
      const changes = batch;
      batch = [];
      onChanges(changes);
    }, debounce);
  });
  await new Promise<void>((resolve, reject) => {
    watcher.once("ready", resolve);
    watcher.once("error", reject);
  });
  // Later errors (a watch limit reached, a directory gone) must not end the server.
  watcher.on("error", (error) => log.warn(`Watching files failed: ${error instanceof Error ? error.message : String(error)}`));
  return {
    close: async () => {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
