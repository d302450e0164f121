/**
 * How this process imports source files Node cannot run by itself (TypeScript, JSX), for
 * the module maps `globModules()` builds. The `nitrokit` command installs its importer
 * (jiti, the one that loaded the app's entry), so `nitrokit dev`/`serve` load `.ts` routes
 * the way they load the entry; a plain `node server.mjs` installs none and keeps Node's
 * own `import()` (add a loader such as `--import tsx`, or use Node ≥ 22.18).
 *
 * The importer lives on `globalThis` under a registered symbol, not in a module variable:
 * the command and the app may load two copies of this module (a global `nitrokit` and the
 * project's), and both must see the one the command installed.
 * @module
 */

/** Imports a module by its `file:` URL and resolves with its namespace. */
export type SourceImporter = (url: string) => Promise<unknown>;

const SOURCE_IMPORTER = Symbol.for("nitrokit.sourceImporter");
const NEEDS_TRANSFORM = /\.(?:[cm]?ts|[jt]sx)$/;

type WithImporter = typeof globalThis & { [SOURCE_IMPORTER]?: SourceImporter };

/** Installs (or, with `undefined`, removes) the importer for TypeScript and JSX files. */
export function setSourceImporter(importer: SourceImporter | undefined): void {
  (globalThis as WithImporter)[SOURCE_IMPORTER] = importer;
}

/** Imports `url`: TypeScript and JSX through the installed importer when there is one, everything else with `import()`. */
export function importSource(url: string): Promise<unknown> {
  const importer = NEEDS_TRANSFORM.test(url) ? (globalThis as WithImporter)[SOURCE_IMPORTER] : undefined;
  return importer ? importer(url) : import(url);
}
