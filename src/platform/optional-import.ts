/**
 * Imports an optional package by name. The specifier is a parameter on purpose: a
 * bundler (wrangler, esbuild, Vite) leaves the import alone instead of pulling in —
 * or failing on — a client that a Workers bundle never loads (ioredis, @libsql/client).
 */
export function importOptional<T>(name: string): Promise<T> {
  return import(name) as Promise<T>;
}

/**
 * Whether optional package `name` is known to be missing, found out without importing it
 * (`import.meta.resolve`, synchronous on Node >= 20.6, Bun and Deno): start-up can say what to
 * install while the package itself still loads on first use. `false` when this runtime cannot
 * tell without importing (no synchronous `import.meta.resolve`, or a bundle without a module
 * loader): the first use then reports the missing package instead.
 */
export function isPackageMissing(name: string): boolean {
  const resolve = (import.meta as { resolve?: (specifier: string) => unknown }).resolve;
  if (typeof resolve !== "function") return false;
  try {
    const resolved = resolve(name);
    // An asynchronous resolve (older runtimes behind a flag) cannot answer now: leave it to the first use.
    if (typeof (resolved as PromiseLike<unknown> | null)?.then === "function") (resolved as Promise<unknown>).catch(() => {});
    return false;
  } catch (error) {
    // Only "not found" counts: a package that resolves oddly (no ESM entry...) is left to its import.
    return missingPackage(error) === name;
  }
}

/**
 * The package a failed import could not find (`Cannot find package 'esbuild' imported
 * from …`, or CommonJS's `Cannot find module '@vercel/nft'`), or `undefined` when the
 * import failed for another reason (the package is there but broke while loading).
 */
export function missingPackage(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : String(error);
  return /Cannot find (?:package|module) '((?:@[^/']+\/)?[^/']+)/.exec(message)?.[1];
}

/**
 * Imports several optional packages at once. When some are not installed, rejects with
 * one error naming every missing one and the command that installs them (`what` says
 * what needs them); a package that is there but fails to load rejects with its own error.
 *
 * @example
 * const [esbuild, nft] = await importOptionalPeers(["esbuild", "@vercel/nft"], "`nitrokit build`");
 */
export async function importOptionalPeers<T extends unknown[]>(names: { [K in keyof T]: string }, what: string, options: { dev?: boolean } = {}): Promise<T> {
  const settled = await Promise.allSettled(names.map((name) => importOptional(name)));
  const missing = settled.flatMap((result, index) => (result.status === "rejected" && missingPackage(result.reason) === names[index] ? [names[index]!] : []));
  if (missing.length > 0) {
    const install = `npm install${options.dev ? " -D" : ""} ${missing.join(" ")}`;
    const which = missing.length === names.length ? `, which ${missing.length > 1 ? "are" : "is"} not installed` : `; ${listed(missing)} ${missing.length > 1 ? "are" : "is"} not installed`;
    throw new MissingPackagesError(`${what} needs ${listed(names)}${which}. Install: ${install}`, missing, install);
  }
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as T;
}

/** Some optional packages are not installed: {@link importOptionalPeers}'s error. */
export class MissingPackagesError extends Error {
  /** The packages that are missing. */
  readonly packages: string[];
  /** The command that installs them (`npm install -D esbuild @vercel/nft`). */
  readonly install: string;

  constructor(message: string, packages: string[], install: string) {
    super(message);
    this.name = "MissingPackagesError";
    this.packages = packages;
    this.install = install;
  }
}

function listed(names: readonly string[]): string {
  return names.length < 2 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}
