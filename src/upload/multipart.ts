import { HTTPError, type H3Event } from "h3";
import { builtinModule } from "../platform/builtin-module.js";

/** Limits `readMultipart()` enforces while the body streams in; crossing one answers `413`. */
export interface MultipartLimits {
  /** Bytes per file. Default 100 MiB. */
  fileSize?: number;
  /** File parts. Default 10. */
  files?: number;
  /** Non-file fields. Default 100. */
  fields?: number;
  /** Bytes per field value. Default 64 KiB. */
  fieldSize?: number;
  /** Parts of either kind. Default 1000. */
  parts?: number;
}

export interface ReadMultipartOptions {
  limits?: MultipartLimits;
}

/** A form field: its value is small (see `limits.fieldSize`) and read whole. */
export interface MultipartField {
  kind: "field";
  /** The form field's name. */
  name: string;
  value: string;
}

/**
 * A file part. Its bytes arrive through `stream` as the client sends them: read it (or pass it to
 * `saveUpload()`) before asking for the next part; one left unread is skipped. The stream errors
 * with a `413` `HTTPError` when the file crosses `limits.fileSize`.
 */
export interface MultipartFile {
  kind: "file";
  /** The form field's name. */
  name: string;
  /** The client's file name (its base name only), `""` when it gave none. */
  filename: string;
  /** The part's `Content-Type`. */
  type: string;
  stream: ReadableStream<Uint8Array>;
}

export type MultipartPart = MultipartField | MultipartFile;

const DEFAULT_LIMITS: Required<MultipartLimits> = { fileSize: 100 * 1024 * 1024, files: 10, fields: 100, fieldSize: 64 * 1024, parts: 1000 };
/** Chunks a file stream buffers ahead of its reader, at most, before the parser waits. */
const FILE_HIGH_WATER_MARK = 4;

type BusboyFactory = typeof import("busboy");
type NodeStream = typeof import("node:stream");
/** Node's `Readable` (busboy speaks Node streams), loaded with `builtinModule` rather than a static import. */
type Readable = InstanceType<NodeStream["Readable"]>;

let busboyFactory: Promise<BusboyFactory> | undefined;
/** busboy (on Node's streams, as Bun and Deno provide) is loaded on first use: `nitrokit/upload` costs nothing until then. */
function loadBusboy(): Promise<BusboyFactory> {
  return (busboyFactory ??= import("busboy").then((module) => ((module as { default?: BusboyFactory }).default ?? module) as BusboyFactory));
}

/**
 * The parts of a `multipart/form-data` request, one at a time as they stream in: fields whole,
 * files as `ReadableStream`s, so a file of any size passes through in small chunks instead of
 * being held in memory (`event.req.formData()` holds all of it). Parsed by busboy.
 *
 * Limits are enforced while streaming: more files, fields or parts than allowed, a field value
 * or a file over its size, answer `413` (the file's stream errors, the iteration throws an
 * `HTTPError`); a body that is not well-formed multipart answers `400`; another content type `415`.
 * The request body still counts against the app's `maxRequestBodySize`: raise it for large uploads.
 *
 * @example
 * import { createNitroApp } from "nitrokit";
 * import { readMultipart, saveUpload } from "nitrokit/upload";
 * const app = createNitroApp({ maxRequestBodySize: 1024 ** 3, storage: { uploads: { driver: "fs", base: "./.uploads" } } });
 * app.post("/upload", async (event) => {
 *   const saved = [];
 *   for await (const part of readMultipart(event, { limits: { fileSize: 512 * 1024 ** 2, files: 1 } })) {
 *     if (part.kind === "file") saved.push(await saveUpload(part, `uploads:${crypto.randomUUID()}`));
 *   }
 *   return { saved };
 * });
 */
export async function* readMultipart(event: H3Event, options: ReadMultipartOptions = {}): AsyncGenerator<MultipartPart, void, undefined> {
  const limits = resolveLimits(options.limits);
  const contentType = event.req.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    throw new HTTPError({ status: 415, message: "Expected a multipart/form-data body (Content-Type: multipart/form-data; boundary=…)." });
  }
  const body = event.req.body;
  if (!body) throw new HTTPError({ status: 400, message: "The multipart body is empty." });
  const stream = builtinModule<NodeStream>("node:stream");
  if (!stream) throw new HTTPError({ status: 500, message: "[nitrokit] readMultipart() needs node:stream (Node.js, Bun, Deno)." });
  const busboy = await loadBusboy();
  let parser: ReturnType<BusboyFactory>;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      // One byte over the limit is how busboy tells "at the limit" from "over it".
      limits: { fileSize: limits.fileSize + 1, files: limits.files, fields: limits.fields, fieldSize: limits.fieldSize + 1, parts: limits.parts },
      highWaterMark: 64 * 1024,
      fileHwm: 64 * 1024,
    });
  } catch (error) {
    throw new HTTPError({ status: 400, message: `Malformed multipart request: ${(error as Error).message}.` });
  }
  const parts = new PartQueue();
  parser.on("field", (name, value, info) => {
    if (info.valueTruncated) return parts.fail(tooLarge(`The value of field '${name}' exceeds ${limits.fieldSize} bytes.`));
    parts.push({ kind: "field", name, value });
  });
  parser.on("file", (name, file, info) => {
    parts.push({ kind: "file", name, filename: baseName(info.filename ?? ""), type: info.mimeType, stream: fileStream(file, name, limits.fileSize, parts) });
  });
  parser.on("filesLimit", () => parts.fail(tooLarge(`More than ${limits.files} files.`)));
  parser.on("fieldsLimit", () => parts.fail(tooLarge(`More than ${limits.fields} fields.`)));
  parser.on("partsLimit", () => parts.fail(tooLarge(`More than ${limits.parts} parts.`)));
  parser.on("error", (error: Error) => parts.fail(new HTTPError({ status: 400, message: `Malformed multipart body: ${error.message}.` })));
  parser.on("close", () => parts.end());
  const source: Readable = stream.Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>);
  source.on("error", (error: unknown) => parts.fail(HTTPError.isError(error) ? error : new HTTPError({ status: 400, message: "The upload was interrupted.", cause: error })));
  source.pipe(parser);
  try {
    while (true) {
      const part = await parts.next();
      if (!part) return;
      yield part;
      // Not read by the caller: skip its bytes so the parser can reach the next part.
      if (part.kind === "file" && !part.stream.locked) await part.stream.cancel();
    }
  } finally {
    if (!parts.ended) {
      source.unpipe(parser);
      source.destroy();
    }
  }
}

/** A busboy file stream as a web stream, paused while its reader is behind (so the whole request is). */
function fileStream(file: Readable & { truncated?: boolean }, field: string, limit: number, parts: PartQueue): ReadableStream<Uint8Array> {
  let failed = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        file.on("data", (chunk: Buffer) => {
          // Once failed or skipped, the rest of the file only flows past.
          if (failed) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) file.pause();
        });
        file.once("limit", () => {
          if (failed) return file.resume();
          failed = true;
          const error = tooLarge(`The file in field '${field}' exceeds ${limit} bytes.`);
          controller.error(error);
          parts.fail(error);
          file.resume();
        });
        file.once("end", () => {
          if (!failed) controller.close();
        });
        file.once("error", (error: Error) => {
          if (failed) return;
          failed = true;
          controller.error(new HTTPError({ status: 400, message: `Malformed multipart body: ${error.message}.` }));
        });
        parts.onFail((error) => {
          if (failed) return;
          failed = true;
          controller.error(error);
        });
      },
      pull() {
        file.resume();
      },
      cancel() {
        // Skipped: let its bytes flow past.
        failed = true;
        file.removeAllListeners("data");
        file.resume();
      },
    },
    { highWaterMark: FILE_HIGH_WATER_MARK },
  );
}

/** Parts handed from busboy's events to the async iterator, or the failure that ends them. */
class PartQueue {
  readonly #parts: MultipartPart[] = [];
  #error: HTTPError | undefined;
  #ended = false;
  #waiter: { resolve: (part: MultipartPart | undefined) => void; reject: (error: unknown) => void } | undefined;
  readonly #failListeners: Array<(error: HTTPError) => void> = [];

  get ended(): boolean {
    return this.#ended && !this.#error;
  }

  push(part: MultipartPart): void {
    if (this.#error) return;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (waiter) waiter.resolve(part);
    else this.#parts.push(part);
  }

  end(): void {
    this.#ended = true;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (waiter) (this.#error ? waiter.reject(this.#error) : waiter.resolve(undefined));
  }

  fail(error: HTTPError): void {
    if (this.#error) return;
    this.#error = error;
    for (const listener of this.#failListeners.splice(0)) listener(error);
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(error);
  }

  onFail(listener: (error: HTTPError) => void): void {
    if (this.#error) listener(this.#error);
    else this.#failListeners.push(listener);
  }

  next(): Promise<MultipartPart | undefined> {
    if (this.#error) return Promise.reject(this.#error);
    const part = this.#parts.shift();
    if (part || this.#ended) return Promise.resolve(part);
    return new Promise((resolve, reject) => (this.#waiter = { resolve, reject }));
  }
}

function resolveLimits(limits: MultipartLimits = {}): Required<MultipartLimits> {
  const resolved = { ...DEFAULT_LIMITS };
  for (const [name, value] of Object.entries(limits) as Array<[keyof MultipartLimits, unknown]>) {
    if (!(name in DEFAULT_LIMITS)) throw new TypeError(`[nitrokit] readMultipart(): unknown limit '${name}' (expected ${Object.keys(DEFAULT_LIMITS).join(", ")}).`);
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) throw new TypeError(`[nitrokit] readMultipart(): limits.${name} must be a whole number ≥ 0.`);
    resolved[name] = value;
  }
  return resolved;
}

function tooLarge(message: string): HTTPError {
  return new HTTPError({ status: 413, statusText: "Content Too Large", message });
}

/** The client's file name without any directory it sent (`C:\\x\\a.txt`, `../a.txt` → `a.txt`). */
function baseName(filename: string): string {
  return filename.split(/[\\/]/).pop() ?? "";
}
