import { toEventHandler, toMiddleware, type EventHandler, type H3Event, type Middleware } from "h3";
import type { BeforeResponseHook, NitroAppPlugin } from "../types/app.js";
import type { Task, TaskEvent } from "../tasks/types.js";

/** A module as `import.meta.glob(…, { eager: true })` gives it: its exports. */
export interface GlobModule {
  default?: unknown;
  readonly [name: string]: unknown;
}

/**
 * A loader as `import.meta.glob(…)` gives it: `() => import("./routes/x.ts")`.
 * It may also resolve to the default export itself (`{ import: "default" }`).
 */
export type GlobLoader = () => Promise<unknown>;

/** The map `import.meta.glob` returns: file key → module (eager) or loader (lazy). */
export type GlobModules = Record<string, GlobModule | GlobLoader>;

/** Takes what a file exports by default and checks it is the right kind of thing. */
type Pick<T> = (file: string, exported: unknown) => T;

/** The default export of `file`, or an error naming the file when there is none. */
function defaultExport(file: string, loaded: unknown): unknown {
  // A module namespace is never a function: a function is the default export itself.
  if (typeof loaded === "function") return loaded;
  if (loaded && typeof loaded === "object" && "default" in loaded && (loaded as GlobModule).default !== undefined) {
    return (loaded as GlobModule).default;
  }
  throw new TypeError(`[nitrokit] ${file} has no default export: export default defineHandler(…) (or definePlugin, defineTask).`);
}

export const pickHandler: Pick<EventHandler> = (file, exported) => {
  const handler = toEventHandler(exported as Parameters<typeof toEventHandler>[0]);
  if (!handler) throw new TypeError(`[nitrokit] ${file}: the default export is not a handler (got ${describe(exported)}): export default defineHandler(…).`);
  return handler;
};

export const pickMiddleware: Pick<Middleware> = (file, exported) => {
  pickHandler(file, exported);
  return toMiddleware(exported as Parameters<typeof toMiddleware>[0]);
};

export const pickPlugin: Pick<NitroAppPlugin> = (file, exported) => {
  if (typeof exported !== "function") throw new TypeError(`[nitrokit] ${file}: the default export is not a plugin (got ${describe(exported)}): export default definePlugin(…).`);
  return exported as NitroAppPlugin;
};

export const pickTask: Pick<Task> = (file, exported) => {
  if (typeof (exported as Task | undefined)?.run !== "function") {
    throw new TypeError(`[nitrokit] ${file}: the default export is not a task (got ${describe(exported)}): export default defineTask({ run() {…} }).`);
  }
  return exported as Task;
};

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? `an object with keys ${Object.keys(value as object).join(", ") || "none"}` : typeof value;
}

/**
 * What `file` exports by default, picked as a `T`: at once for an eager module
 * (so a bad one fails registration), on the first `get()` for a loader. Concurrent
 * first calls share one import; a failed import is tried again on the next call.
 */
export class ModuleExport<T> {
  // Plain properties, all set by the constructor (no field initializers, no private names): one
  // of these is made per route file at start-up, in the interpreter, where each initializer and
  // private name cost a call and a keyed store.
  declare readonly file: string;
  declare private value: T | undefined;
  declare private loading: Promise<T> | undefined;
  declare private readonly load: GlobLoader | undefined;
  declare private readonly pick: Pick<T>;

  constructor(file: string, entry: GlobModule | GlobLoader, pick: Pick<T>) {
    this.file = file;
    this.pick = pick;
    this.loading = undefined;
    if (typeof entry === "function") {
      this.load = entry;
      this.value = undefined;
    } else {
      this.load = undefined;
      this.value = pick(file, defaultExport(file, entry));
    }
  }

  /** The export once loaded, else `undefined`: lets hot paths skip a promise. */
  get loaded(): T | undefined {
    return this.value;
  }

  get(): T | Promise<T> {
    return this.value ?? (this.loading ??= this.#import());
  }

  /** Runs the loader; a subclass may watch the import (filesystem routes note the meta it declared). */
  protected importModule(load: GlobLoader): Promise<unknown> {
    return load();
  }

  async #import(): Promise<T> {
    let loaded: unknown;
    try {
      loaded = await this.importModule(this.load!);
    } catch (error) {
      this.loading = undefined;
      throw new Error(`[nitrokit] Could not load ${this.file}: ${reason(error)}${loaderHint(this.file, error)}`, { cause: error });
    }
    try {
      this.value = this.pick(this.file, defaultExport(this.file, loaded));
      return this.value;
    } finally {
      this.loading = undefined;
    }
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function loaderHint(file: string, error: unknown): string {
  const code = (error as { code?: string } | undefined)?.code;
  if (code !== "ERR_UNKNOWN_FILE_EXTENSION" || !/\.[cm]?tsx?$/.test(file)) return "";
  return ". This Node.js cannot import TypeScript by itself: run with a loader (node --import tsx) or on Node.js ≥ 22.18, which strips types.";
}

/**
 * A route handler that imports its module on its first request. Given the app's `beforeResponse`
 * hook, it applies it as the app's wrapper around other handlers would (a filesystem route is
 * registered unwrapped: `~fileRoute`).
 */
export function lazyHandler(module: ModuleExport<EventHandler>, optionalParams: boolean, beforeResponse?: BeforeResponseHook): EventHandler {
  return function lazyRoute(event: H3Event) {
    // h3 leaves params unset when an optional one is absent; Nitro code destructures them.
    if (optionalParams) event.context.params ??= {};
    if (beforeResponse?.listening()) return beforeResponse.apply(event, callRoute(module, event));
    return callRoute(module, event);
  };
}

function callRoute(module: ModuleExport<EventHandler>, event: H3Event): unknown {
  const handler = module.loaded;
  if (handler) return handler(event);
  return Promise.resolve(module.get()).then((loaded) => loaded(event));
}

/** A global middleware that imports its module on the first request it sees. */
export function lazyMiddleware(module: ModuleExport<Middleware>): Middleware {
  return function lazyMiddleware(event, next) {
    const middleware = module.loaded;
    if (middleware) return middleware(event, next);
    return Promise.resolve(module.get()).then((loaded) => loaded(event, next));
  };
}

/** A plugin that imports its module when `ready()` runs it; named after its file for `ready()`'s errors. */
export function lazyPlugin(module: ModuleExport<NitroAppPlugin>): NitroAppPlugin {
  const plugin: NitroAppPlugin = async (nitroApp) => (await module.get())(nitroApp);
  return Object.defineProperty(plugin, "name", { value: module.file });
}

/**
 * A task that imports its module when it first runs, or when it is listed
 * (`listTasks()`, `GET /_nitro/tasks`, `nitrokit task list`): its description lives in
 * the module, and Nitro's listing loads it the same way.
 */
export class LazyTask implements Task {
  readonly meta: { name: string; description?: string };
  readonly #module: ModuleExport<Task>;

  constructor(name: string, module: ModuleExport<Task>) {
    this.meta = { name };
    this.#module = module;
  }

  async run(event: TaskEvent): Promise<unknown> {
    const task = await this.#module.get();
    this.meta.description ??= task.meta?.description;
    return task.run(event);
  }

  /** Imports the module (once) and takes its description. */
  async "~resolveMeta"(): Promise<void> {
    const task = await this.#module.get();
    this.meta.description ??= task.meta?.description;
  }
}
