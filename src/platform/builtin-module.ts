/**
 * A runtime builtin (`node:fs`, `node:module`, …) if this runtime has one, through
 * `process.getBuiltinModule`: no static `node:` import, so bundles for Workers stay clean.
 */
export function builtinModule<T = unknown>(id: string): T | undefined {
  try {
    return (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.(id) as T | undefined;
  } catch {
    return undefined;
  }
}
