import type { Driver } from "unstorage";
import type { NitroConfig, NitroServerAssetDir } from "../types/app.js";
import { assetType } from "./asset-type.js";
import { loadDriver } from "./drivers.js";
import { builtinModule } from "../platform/builtin-module.js";

/** The storage mount of a server asset directory: `assets:<baseName>`. */
export const assetMount = (baseName: string) => `assets:${baseName}`;

/** Thrown by every write to an asset mount. */
export class ReadOnlyAssetError extends Error {}

/**
 * The asset directories of an app: `serverAssets`, plus `assets:server` from
 * `<rootDir>/assets` unless `serverAssets` names `server` itself (that one is mounted
 * only when the directory exists). Paths are relative to `rootDir`.
 */
export function serverAssetDirs(config: NitroConfig, rootDir: string): { dir: NitroServerAssetDir; optional: boolean }[] {
  // Set by the entry `nitrokit build` writes: the assets were copied beside the bundle, one folder per baseName.
  const copied = (globalThis as { __nitrokitServerAssetsDir?: string }).__nitrokitServerAssetsDir;
  const where = (dir: NitroServerAssetDir) => (copied ? `${copied}/${dir.baseName}` : resolveDir(rootDir, dir.dir));
  const explicit = (config.serverAssets ?? []).map((dir) => ({ dir: { ...dir, dir: where(dir) }, optional: false }));
  if (explicit.some(({ dir }) => dir.baseName === "server")) return explicit;
  return [...explicit, { dir: { baseName: "server", dir: where({ baseName: "server", dir: "assets" }) }, optional: true }];
}

/**
 * A read-only driver over an asset directory: unstorage's `fs-lite` for reading, with
 * `getMeta` giving Nitro's `{ type, etag, mtime }` (and `size`), and writes refused
 * with an error (fs-lite's own `readOnly` ignores writes silently, which hides bugs).
 * Resolves to `undefined` for an optional directory that does not exist.
 */
export async function createAssetDriver(asset: NitroServerAssetDir, optional: boolean): Promise<Driver | undefined> {
  const mount = assetMount(asset.baseName);
  // The usual case, no assets/ folder, settled without loading the driver (start-up cost).
  const fs = builtinModule<{ existsSync(path: string): boolean }>("node:fs");
  if (optional && fs && !fs.existsSync(asset.dir)) return undefined;
  const files = await loadDriver(mount, { driver: "fs-lite", base: asset.dir, readOnly: true });
  if (!(await files.hasItem("", {}))) {
    if (optional) return undefined;
    throw new Error(`[nitrokit] serverAssets '${asset.baseName}': directory '${asset.dir}' does not exist.`);
  }
  const refuse = (key: string) => {
    throw new ReadOnlyAssetError(`[nitrokit] Storage mount '${mount}' is read-only (server assets): cannot write or remove '${key}'.`);
  };
  const etags = new Map<string, { mtime: number; etag: string }>();
  return {
    name: "nitrokit-server-assets",
    options: { base: asset.dir },
    hasItem: (key, opts) => files.hasItem(key, opts),
    getItem: (key, opts) => files.getItem(key, opts),
    getItemRaw: (key, opts) => files.getItemRaw!(key, opts),
    getKeys: (base, opts) => files.getKeys(base, opts),
    async getMeta(key, opts) {
      const stat = (await files.getMeta!(key, opts)) as { mtime?: Date; size?: number } | null;
      if (!stat?.mtime) return null;
      const mtime = stat.mtime.getTime();
      let cached = etags.get(key);
      if (cached?.mtime !== mtime) {
        const bytes = (await files.getItemRaw!(key, {})) as Uint8Array | null;
        cached = { mtime, etag: bytes ? await etagOf(bytes) : "" };
        etags.set(key, cached);
      }
      return { type: assetType(key), etag: cached.etag, mtime: stat.mtime, size: stat.size };
    },
    setItem: (key) => refuse(key),
    setItemRaw: (key) => refuse(key),
    removeItem: (key) => refuse(key),
    clear: (base) => refuse(base || "*"),
  };
}

/** A strong ETag from the content: size and a SHA-1 digest (Web Crypto, on every runtime). */
async function etagOf(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", bytes as Uint8Array<ArrayBuffer>));
  const hash = btoa(String.fromCharCode(...digest)).replace(/=+$/, "");
  return `"${bytes.byteLength.toString(16)}-${hash}"`;
}

function resolveDir(rootDir: string, dir: string): string {
  return dir.startsWith("/") || /^[a-z]:[\\/]/i.test(dir) ? dir : `${rootDir}/${dir.replace(/^\.\//, "")}`;
}
