/**
 * Imports an optional package by name. The specifier is a parameter on purpose: a
 * bundler (wrangler, esbuild, Vite) leaves the import alone instead of pulling in —
 * or failing on — a client that a Workers bundle never loads (ioredis, @libsql/client).
 */
export function importOptional<T>(name: string): Promise<T> {
  return import(name) as Promise<T>;
}
