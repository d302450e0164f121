import type { EventHandler, Middleware } from "h3";
import { builtinModule } from "../platform/builtin-module.js";
import { importSource } from "../adapters/node/source-import.js";
import type { NitroAppPlugin } from "../types/app.js";
import type { NitroErrorHandler } from "../types/app.js";
import { lazyHandler, lazyMiddleware, lazyPlugin, ModuleExport, pickHandler, pickMiddleware, pickPlugin } from "../routing/modules.js";

/** Tried, in Nitro's order, after the path as written, for paths given without an extension. */
const EXTENSIONS = [".ts", ".js", ".mts", ".mjs", ".tsx", ".jsx", ".cts", ".cjs"];

interface NodePath {
  resolve(...paths: string[]): string;
}
interface NodeFs {
  statSync(path: string, options: { throwIfNoEntry: false }): { isFile(): boolean } | undefined;
}
interface NodeUrl {
  pathToFileURL(path: string): URL;
  fileURLToPath(url: string): string;
}

/** One path from the config: as written (for messages) and where it points. */
class ModulePath {
  /** The file found for it, once looked up (the path itself, or with an extension added). */
  #file: string | undefined;

  constructor(
    readonly given: string,
    readonly resolved: string,
  ) {}

  /** The file to import; a path that names no file throws, naming the path as written and where it was looked for. */
  locate(): string {
    if (this.#file) return this.#file;
    const fs = builtinModule<NodeFs>("node:fs");
    if (!fs) return (this.#file = this.resolved);
    for (const candidate of [this.resolved, ...EXTENSIONS.map((extension) => this.resolved + extension)]) {
      if (fs.statSync(candidate, { throwIfNoEntry: false })?.isFile()) return (this.#file = candidate);
    }
    throw new Error(`Module not found: '${this.given}' (looked for ${this.resolved}; paths in the config are resolved against rootDir).`);
  }
}

/**
 * Module paths in the config (`errorHandler: "./error.ts"`, `handlers[].handler`,
 * `plugins`, `serverEntry`), as Nitro accepts them: resolved against `rootDir`,
 * imported on first use (default export), and checked to exist by `ready()`, so a typo
 * fails start-up instead of the first request.
 */
export class ConfigModules {
  readonly #rootDir: string | undefined;
  readonly #paths: ModulePath[] = [];
  /** Modules `ready()` imports (error handlers: they must be callable the moment a request fails). */
  readonly #preload: ModuleExport<unknown>[] = [];

  constructor(rootDir: string | undefined) {
    this.#rootDir = rootDir;
  }

  /** The module at `path`, its default export checked by `pick` when it is imported. */
  module<T>(path: string, pick: (file: string, exported: unknown) => T): ModuleExport<T> {
    const modulePath = new ModulePath(path, this.#resolve(path));
    this.#paths.push(modulePath);
    return new ModuleExport<T>(path, () => importModule(modulePath), pick);
  }

  /** A route handler imported on its first request; `pick` checks the default export (an h3 handler by default). */
  handler(path: string, pick: (file: string, exported: unknown) => EventHandler = pickHandler): EventHandler {
    return lazyHandler(this.module(path, pick), false);
  }

  /** A middleware imported on the first request it sees. */
  middleware(path: string): Middleware {
    return lazyMiddleware(this.module(path, pickMiddleware));
  }

  /** A plugin imported when `ready()` runs it; `ready()`'s error names the path. */
  plugin(path: string): NitroAppPlugin {
    return lazyPlugin(this.module(path, pickPlugin));
  }

  /** An error handler imported by `ready()`. */
  errorHandler(path: string): NitroErrorHandler {
    const module = this.module(path, pickErrorHandler);
    this.#preload.push(module);
    return (error, event, helpers) => {
      const loaded = module.loaded;
      return loaded ? loaded(error, event, helpers) : Promise.resolve(module.get()).then((handler) => handler(error, event, helpers));
    };
  }

  /**
   * For `ready()`: every path registered so far names a file (all missing ones in one
   * error), and the modules needed before any request are imported.
   */
  async check(): Promise<void> {
    const missing: string[] = [];
    for (const path of this.#paths) {
      try {
        path.locate();
      } catch (error) {
        missing.push((error as Error).message);
      }
    }
    if (missing.length === 1) throw new Error(`[nitrokit] ${missing[0]}`);
    if (missing.length > 1) throw new Error(`[nitrokit] Modules not found:\n${missing.map((line) => `  - ${line}`).join("\n")}`);
    await Promise.all(this.#preload.map((module) => module.get()));
  }

  #resolve(path: string): string {
    const url = builtinModule<NodeUrl>("node:url");
    if (path.startsWith("file:") && url) return url.fileURLToPath(path);
    const nodePath = builtinModule<NodePath>("node:path");
    if (!nodePath) return path;
    return nodePath.resolve(this.#rootDir ?? globalThis.process?.cwd?.() ?? ".", path);
  }
}

async function importModule(path: ModulePath): Promise<unknown> {
  const url = builtinModule<NodeUrl>("node:url");
  if (!url) {
    throw new Error("module paths in the config need a runtime with a filesystem (Node.js, Bun, Deno); here, import the module and pass its export instead");
  }
  const file = path.locate();
  try {
    // TypeScript goes through the importer `nitrokit dev`/`serve` installed, as globModules() routes do.
    return await importSource(url.pathToFileURL(file).href);
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_UNKNOWN_FILE_EXTENSION" && /\.[cm]?tsx?$/.test(file)) {
      throw new Error(
        "Node.js cannot import TypeScript by itself: serve the app with `nitrokit dev` / `nitrokit serve` (they load .ts files), " +
          "run node with a loader (`node --import tsx`), use Node.js ≥ 22.18, or point the config at the compiled .js file",
        { cause: error },
      );
    }
    throw error;
  }
}

function pickErrorHandler(file: string, exported: unknown): NitroErrorHandler {
  if (typeof exported !== "function") {
    throw new TypeError(`[nitrokit] ${file}: the default export is not an error handler (got ${typeof exported}): export default defineNitroErrorHandler((error, event) => …).`);
  }
  return exported as NitroErrorHandler;
}
