import { isAbsolute, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createJiti } from "jiti";
import { isNitroApp } from "../app/is-app.js";

export { isNitroApp } from "../app/is-app.js";
import { setSourceImporter } from "../adapters/node/source-import.js";
import type { NitroApp } from "../types/app.js";
import { CliError, describeError } from "./errors.js";

/** What an app factory (`export default (context) => createNitroApp(…)`) receives from the command. */
export interface AppFactoryContext {
  /** `true` under `nitrokit dev`. */
  dev: boolean;
}

/** Imports a module by absolute path and resolves with its namespace. */
export type ModuleImporter = (path: string) => Promise<Record<string, unknown>>;

/**
 * Imports through jiti, so TypeScript entries (and anything they import) run without a
 * build step; ESM JavaScript and packages load natively, so the user's `nitrokit` is the
 * one this command runs. `moduleCache` keeps transpiled modules in `require.cache`,
 * which is where `dev` finds (and evicts) them between reloads.
 */
export function jitiImporter(): ModuleImporter {
  return (path) => createJiti(path, { moduleCache: true, interopDefault: false }).import<Record<string, unknown>>(path);
}

/**
 * Loads jiti's TypeScript transform now, so the first reload after an edit does not
 * pay for it (when every file came from jiti's cache at start-up, it is not loaded yet).
 */
export function warmUpTransform(entryPath: string): void {
  try {
    createJiti(entryPath).transform({ source: "export const warm: number = 1;", filename: "warm-up.ts", ts: true });
  } catch {
    // Only an optimisation.
  }
}

/**
 * Loads the user's module and finds its app: the default export (an app, a function
 * returning one or a promise of one, or a promise of an app), else a named `app` export.
 * Each failure is a {@link CliError} saying what was found and what is expected.
 *
 * The importer that loads the entry also becomes the one `globModules()` uses for the
 * TypeScript files it finds, so `.ts` routes load as the `.ts` entry does.
 */
export async function loadApp(entryPath: string, options: { dev: boolean; importModule?: ModuleImporter }): Promise<NitroApp> {
  const importModule = options.importModule ?? jitiImporter();
  setSourceImporter((url) => importModule(url.startsWith("file:") ? fileURLToPath(url) : url));
  const name = displayPath(entryPath);
  let namespace: Record<string, unknown>;
  try {
    namespace = await importModule(entryPath);
  } catch (error) {
    throw new CliError(`Could not load ${name}:\n${describeError(error)}`, { cause: error });
  }
  // `module.exports = app` from a CommonJS module.
  if (isNitroApp(namespace)) return namespace;
  if (isServerEntry(namespace.default) && !isNitroApp(namespace.app)) {
    throw new CliError(`${name} is a server entry (its default export is a fetch handler), not a nitrokit app: the command cannot serve it by itself.`, {
      hint:
        `Create the app in its own module and register the entry there, e.g. app.ts: \`export default createNitroApp({ serverEntry: "${isAbsolute(name) ? name : `./${name}`}" })\`, ` +
        "then run `nitrokit dev` (app.ts is looked for before server.ts), or name the app module: `nitrokit dev src/app.ts`.",
    });
  }
  for (const exportName of ["default", "app"]) {
    const value = namespace[exportName];
    if (value === undefined) continue;
    const app = await toApp(value, { dev: options.dev }, `${name} (export ${exportName})`);
    if (app) return app;
  }
  throw new CliError(`${name} does not export an app: ${describeExports(namespace)}.`, {
    hint: "Default-export the app (`export default app`), a function returning it (`export default () => createNitroApp(…)`), or a promise of it.",
  });
}

async function toApp(value: unknown, context: AppFactoryContext, where: string): Promise<NitroApp | undefined> {
  let candidate = value;
  try {
    if (typeof candidate === "function") candidate = await (candidate as (context: AppFactoryContext) => unknown)(context);
    else if (isThenable(candidate)) candidate = await candidate;
  } catch (error) {
    throw new CliError(`Creating the app failed in ${where}:\n${describeError(error)}`, { cause: error });
  }
  if (isNitroApp(candidate)) return candidate;
  if (looksLikeNitroApp(candidate)) {
    throw new CliError(`${where} is an app from a nitrokit version this command cannot serve (an older copy than the one running it).`, {
      hint: "Run the `nitrokit` installed in your project (npx nitrokit …), so both use one copy.",
    });
  }
  return undefined;
}


/**
 * What Nitro takes as its `server.ts` entry and a nitrokit app is not: an h3 handler
 * (`defineHandler` gives it a `fetch`), an H3 or Hono app, or any `{ fetch }` object.
 * A plain function is not one: the command calls it as an app factory.
 */
function isServerEntry(value: unknown): boolean {
  if (isNitroApp(value) || looksLikeNitroApp(value)) return false;
  if (typeof value !== "function" && (typeof value !== "object" || value === null)) return false;
  return typeof (value as { fetch?: unknown }).fetch === "function";
}

function looksLikeNitroApp(value: unknown): boolean {
  const app = value as Partial<NitroApp> | null;
  return !!app && typeof app === "object" && typeof app.fetch === "function" && typeof app.ready === "function" && typeof app.listTasks === "function";
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === "function";
}

function describeExports(namespace: Record<string, unknown>): string {
  const names = Object.keys(namespace);
  if (names.length === 0) return "it has no exports";
  const described = names.map((key) => `${key === "default" ? "default export" : key} (${kindOf(namespace[key])})`);
  return `it exports ${described.join(", ")}`;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object" && typeof (value as { fetch?: unknown }).fetch === "function") return "an object with fetch(), not a nitrokit app";
  return typeof value;
}

/** A path as the user would type it: relative to the working directory when inside it. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") ? rel : path;
}
