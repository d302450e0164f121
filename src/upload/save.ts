import { HTTPError } from "h3";
import type { Storage } from "unstorage";
import { normalizeKey } from "unstorage";
import { useNitroApp } from "../app/context.js";
import { builtinModule } from "../platform/builtin-module.js";
import type { MultipartFile } from "./multipart.js";

/** Where `saveUpload()` put a file. */
export interface SavedUpload {
  /** The storage key (`"uploads:avatars:42.png"`), or the file path for `{ path }`. */
  key: string;
  /** Bytes written. */
  size: number;
  filename: string;
  type: string;
}

export interface SaveUploadOptions {
  /** The storage to write to (default: the current app's, `useNitroApp().storage`). */
  storage?: Storage;
}

type Fs = typeof import("node:fs");
type FsPromises = typeof import("node:fs/promises");
type Path = typeof import("node:path");

/**
 * Streams an uploaded file (a part from `readMultipart()`) to `destination`: a storage key
 * (`"mount:path:to:file"`) or `{ path }` on disk. Nothing partial is ever left behind: bytes go
 * to a temporary file renamed into place once the part ends whole, and a part that fails (over
 * its size limit: `413`; cut off: `400`) leaves nothing.
 *
 * On an `fs`/`fs-lite` mount the bytes stream straight to the mount's directory, in chunks, so
 * an upload of any size costs a few buffers of memory. Other drivers (memory, Redis, S3-like KV)
 * take whole values: the file is collected (within its `fileSize` limit) and written once complete.
 *
 * @example
 * import { readMultipart, saveUpload } from "nitrokit/upload";
 * app.post("/avatar", async (event) => {
 *   for await (const part of readMultipart(event, { limits: { fileSize: 5 * 1024 ** 2, files: 1 } })) {
 *     if (part.kind === "file") return saveUpload(part, `uploads:avatars:${crypto.randomUUID()}`);
 *   }
 *   throw new HTTPError({ status: 400, message: "No file in the form." });
 * });
 */
export async function saveUpload(part: MultipartFile, destination: string | { path: string }, options: SaveUploadOptions = {}): Promise<SavedUpload> {
  if (part?.kind !== "file" || !(part.stream instanceof ReadableStream)) throw new TypeError("[nitrokit] saveUpload(): expected a file part from readMultipart().");
  const info = { filename: part.filename, type: part.type };
  if (typeof destination === "object" && destination !== null && typeof destination.path === "string") {
    return { key: destination.path, size: await streamToFile(part.stream, destination.path), ...info };
  }
  if (typeof destination !== "string" || !destination.includes(":")) {
    throw new TypeError("[nitrokit] saveUpload(): expected a storage key such as 'uploads:avatars:1.png' or { path }.");
  }
  const storage = options.storage ?? useNitroApp().storage;
  const key = normalizeKey(destination);
  const mount = storage.getMount(key);
  const directory = fsDirectory(mount.driver);
  if (directory !== undefined) {
    const relative = key.slice(mount.base.length);
    if (!relative) throw new TypeError(`[nitrokit] saveUpload(): '${destination}' names a mount, not a file in it.`);
    const path = builtinModule<Path>("node:path")!;
    const file = path.resolve(directory, ...relative.split(":"));
    if (!file.startsWith(path.resolve(directory) + path.sep)) throw new HTTPError({ status: 400, message: "The upload's key leaves its storage mount." });
    return { key, size: await streamToFile(part.stream, file), ...info };
  }
  const bytes = new Uint8Array(await new Response(part.stream).arrayBuffer());
  await storage.setItemRaw(key, bytes);
  return { key, size: bytes.byteLength, ...info };
}

/** The directory an `fs`/`fs-lite` driver stores under, or `undefined` for other drivers. */
function fsDirectory(driver: { name?: string; options?: unknown }): string | undefined {
  if (driver.name !== "fs" && driver.name !== "fs-lite") return undefined;
  const base = (driver.options as { base?: unknown } | undefined)?.base;
  return typeof base === "string" ? base : undefined;
}

/** Writes `stream` to a temporary file beside `file`, renamed into place once complete; removed on failure. */
async function streamToFile(stream: ReadableStream<Uint8Array>, file: string): Promise<number> {
  const fs = builtinModule<Fs>("node:fs");
  const fsp = builtinModule<FsPromises>("node:fs/promises");
  const path = builtinModule<Path>("node:path");
  if (!fs || !fsp || !path) throw new Error("[nitrokit] saveUpload() to a file needs node:fs (Node.js, Bun, Deno).");
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${crypto.randomUUID()}.part`;
  const handle = await fsp.open(temporary, "wx");
  let size = 0;
  try {
    const reader = stream.getReader();
    try {
      while (true) {
        const { done, value } = await reader.read();
        if (done) break;
        let offset = 0;
        while (offset < value.byteLength) offset += (await handle.write(value, offset, value.byteLength - offset)).bytesWritten;
        size += value.byteLength;
      }
    } finally {
      reader.releaseLock();
    }
    await handle.close();
    await fsp.rename(temporary, file);
    return size;
  } catch (error) {
    await handle.close().catch(() => {});
    await fsp.rm(temporary, { force: true });
    await stream.cancel().catch(() => {});
    throw error;
  }
}
