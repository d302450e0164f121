import { createRequire, register } from "node:module";
import { realpathSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { MessageChannel } from "node:worker_threads";
import { isProjectFile, type ProjectScope } from "./project-files.js";
import type { DevHooksData } from "./module-hooks.js";

/** Built beside the CLI's other files (`dist/cli-dev-hooks.js`). */
const HOOKS_URL = new URL("./cli-dev-hooks.js", import.meta.url);

/**
 * Loads the project's modules afresh for each reload, and knows which files the app
 * was loaded from. ES modules get a new URL per generation from the module hooks;
 * TypeScript (evaluated by jiti into `require.cache`) and CommonJS files are evicted
 * from `require.cache` before each generation. Packages load once for the session.
 *
 * Node cannot unload ES modules: each reload keeps the previous generation's module
 * records, a small leak a development session can afford.
 */
export class FreshModules {
  readonly scope: ProjectScope;
  readonly #generation = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  readonly #files = new Set<string>();
  readonly #require = createRequire(import.meta.url);
  #onFile: (path: string) => void = () => {};

  constructor(projectRoot: string) {
    this.scope = { root: realpathSync(projectRoot), exclude: [dirname(fileURLToPath(import.meta.url))] };
    const { port1, port2 } = new MessageChannel();
    port1.on("message", (message: { path: string }) => this.#add(message.path));
    port1.unref();
    const data: DevHooksData = { ...this.scope, generation: this.#generation.buffer as SharedArrayBuffer, port: port2 };
    register(HOOKS_URL, { data, transferList: [port2] });
  }

  /** Starts a new generation: the next import of any project file evaluates it again. */
  next(): number {
    for (const path of Object.keys(this.#require.cache)) {
      if (isProjectFile(path, this.scope)) delete this.#require.cache[path];
    }
    return Atomics.add(this.#generation, 0, 1) + 1;
  }

  /** Records the project files the last load evaluated through `require.cache` (TypeScript, CommonJS). */
  collect(): void {
    for (const path of Object.keys(this.#require.cache)) {
      if (isProjectFile(path, this.scope)) this.#add(path);
    }
  }

  /** Every project file any generation has loaded so far. */
  has(path: string): boolean {
    return this.#files.has(path);
  }

  /** Called for each project file the first time it is loaded. */
  onFile(listener: (path: string) => void): void {
    this.#onFile = listener;
  }

  #add(path: string): void {
    if (this.#files.has(path)) return;
    this.#files.add(path);
    this.#onFile(path);
  }
}
