import { copyFile, mkdir, readlink, symlink } from "node:fs/promises";
import { existsSync, lstatSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { importOptional } from "../../platform/optional-import.js";

type NodeFileTrace = (files: string[], options: { base: string; processCwd?: string; conditions?: string[] }) => Promise<{ fileList: Set<string> }>;

/**
 * Traces what `files` load at run time with `@vercel/nft` (as Nitro does), plus the
 * modules named in `specifiers` (resolved from `fromDir` the way an ESM import would),
 * and copies every traced file that lives in a `node_modules` folder into
 * `<serverDir>/node_modules`, keeping nested layouts. Returns the number of files copied.
 */
export async function traceNodeModules(files: string[], specifiers: string[], fromDir: string, serverDir: string): Promise<number> {
  const { nodeFileTrace } = await importOptional<{ nodeFileTrace: NodeFileTrace }>("@vercel/nft");
  const extra = specifiers.flatMap((specifier) => resolveModule(specifier, fromDir) ?? []);
  const { fileList } = await nodeFileTrace([...files, ...extra], { base: "/", processCwd: fromDir, conditions: ["node", "import", "default"] });
  let copied = 0;
  const packageRoots = new Set<string>();
  for (const file of fileList) {
    const absolute = resolve("/", file);
    const at = absolute.indexOf("/node_modules/");
    if (at === -1) continue;
    packageRoots.add(packageRootOf(absolute));
    const target = join(serverDir, absolute.slice(at + 1));
    await mkdir(dirname(target), { recursive: true });
    const stat = lstatSync(absolute, { throwIfNoEntry: false });
    if (!stat || stat.isDirectory()) continue;
    if (stat.isSymbolicLink()) await symlink(await readlink(absolute), target).catch(() => {});
    else await copyFile(absolute, target);
    copied++;
  }
  // Files given by path bring no package.json along, and without its `exports` an import by name fails.
  for (const root of packageRoots) {
    const manifest = join(root, "package.json");
    const target = join(serverDir, manifest.slice(manifest.indexOf("/node_modules/") + 1));
    if (!existsSync(target) && existsSync(manifest)) await copyFile(manifest, target);
  }
  return copied;
}

/** `/a/node_modules/@s/p/dist/x.mjs` → `/a/node_modules/@s/p` (the innermost package). */
function packageRootOf(file: string): string {
  const at = file.lastIndexOf("/node_modules/") + "/node_modules/".length;
  const [scopeOrName, name] = file.slice(at).split("/");
  return file.slice(0, at) + (scopeOrName!.startsWith("@") ? `${scopeOrName}/${name}` : scopeOrName);
}

/** The file an ESM `import(specifier)` from `fromDir` loads, or undefined when it is not installed. */
function resolveModule(specifier: string, fromDir: string): string | undefined {
  try {
    // From this nitrokit's own install, where the bundled runtime found its unstorage and db0
    // (a parent URL for import.meta.resolve needs a flag on Node 20).
    return fileURLToPath(import.meta.resolve(specifier));
  } catch {
    try {
      return createRequire(pathToFileURL(join(fromDir, "noop.js"))).resolve(specifier);
    } catch {
      return undefined;
    }
  }
}
