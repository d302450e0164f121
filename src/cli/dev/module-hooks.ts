/**
 * Node module hooks that `nitrokit dev` registers (`module.register`) so each reload
 * imports the project's ES modules afresh: every project file resolved while generation
 * N loads gets `?nitrokit-dev=N` on its URL, which Node caches as a new module. Packages
 * keep their one instance. Each such file is reported to the main thread for watching.
 *
 * The generation comes from the importing module's URL when it has one, else from
 * memory shared with the main thread (imports that jiti makes on behalf of TypeScript
 * files, and the entry itself).
 * @module
 */
import { fileURLToPath } from "node:url";
import type { MessagePort } from "node:worker_threads";
import { isProjectFile, type ProjectScope } from "./project-files.js";

/** What the main thread passes to `initialize`. */
export interface DevHooksData extends ProjectScope {
  /** One Int32: the generation being loaded (0: none yet). */
  generation: SharedArrayBuffer;
  /** Receives `{ generation, path }` for each project file resolved. */
  port: MessagePort;
}

interface ResolveResult {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context: { parentURL?: string }) => Promise<ResolveResult>;

export const GENERATION_PARAM = "nitrokit-dev";

let state: (ProjectScope & { generation: Int32Array; port: MessagePort }) | undefined;

export function initialize(data: DevHooksData): void {
  state = { root: data.root, exclude: data.exclude, generation: new Int32Array(data.generation), port: data.port };
  data.port.unref();
}

export async function resolve(specifier: string, context: { parentURL?: string }, nextResolve: NextResolve): Promise<ResolveResult> {
  const resolved = await nextResolve(specifier, context);
  if (!state || !resolved.url.startsWith("file:")) return resolved;
  const url = new URL(resolved.url);
  if (url.searchParams.has(GENERATION_PARAM)) return resolved;
  const path = fileURLToPath(url);
  if (!isProjectFile(path, state)) return resolved;
  const generation = generationOf(context.parentURL) ?? Atomics.load(state.generation, 0);
  if (generation === 0) return resolved;
  url.searchParams.set(GENERATION_PARAM, String(generation));
  state.port.postMessage({ generation, path });
  return { ...resolved, url: url.href };
}

function generationOf(parentURL: string | undefined): number | undefined {
  if (!parentURL?.startsWith("file:")) return undefined;
  const value = new URL(parentURL).searchParams.get(GENERATION_PARAM);
  return value ? Number(value) : undefined;
}
