import type { Middleware } from "h3";
import { FastResponse } from "srvx";
import { runtimeCodecs } from "./codecs.js";
import { ALL_ENCODINGS, isCompressibleType, negotiateEncoding, type ContentEncoding } from "./encoding.js";
import { addVary, bodyBytes, contentTypeOf, finalResponse, isInMemory } from "./response.js";

/** Options of the `compress` rule, the app-wide `compress` option and `defineCompression()`. */
export interface CompressOptions {
  /**
   * Codings to offer, in order of preference when the client rates several equally. Default
   * `["br", "zstd", "gzip", "deflate"]`, less those the runtime lacks (zstd needs Node ≥ 22.15;
   * without `node:zlib` only gzip and deflate, through `CompressionStream`).
   */
  encodings?: ContentEncoding[];
  /** Bodies smaller than this many bytes are sent as they are (compression would not pay). Default `1024`. */
  threshold?: number;
}

export interface ResolvedCompressOptions {
  readonly encodings: readonly ContentEncoding[];
  readonly threshold: number;
}

export type { ContentEncoding } from "./encoding.js";

const DEFAULT_THRESHOLD = 1024;

/** Checks `input` (`true` or options), naming `where` in every error. */
export function resolveCompressOptions(input: unknown, where: string): ResolvedCompressOptions {
  if (input === true) input = {};
  if (typeof input !== "object" || input === null || Array.isArray(input)) throw new TypeError(`[nitrokit] ${where}: expected true or { encodings?, threshold? }.`);
  const { encodings = ALL_ENCODINGS, threshold = DEFAULT_THRESHOLD, ...unknown } = input as CompressOptions;
  const extra = Object.keys(unknown)[0];
  if (extra !== undefined) throw new TypeError(`[nitrokit] ${where}: unknown option '${extra}' (expected encodings, threshold).`);
  if (!Array.isArray(encodings) || encodings.length === 0 || encodings.some((encoding) => !ALL_ENCODINGS.includes(encoding))) {
    throw new TypeError(`[nitrokit] ${where}.encodings: expected a non-empty list of ${ALL_ENCODINGS.map((encoding) => `'${encoding}'`).join(", ")}.`);
  }
  if (typeof threshold !== "number" || !Number.isInteger(threshold) || threshold < 0) throw new TypeError(`[nitrokit] ${where}.threshold: expected a whole number of bytes ≥ 0.`);
  return { encodings: [...encodings], threshold };
}

/** Middleware compressing the final response (see {@link compressResponse}). */
export function compressMiddleware(options: ResolvedCompressOptions): Middleware {
  let offered: readonly ContentEncoding[] | undefined;
  return async function compress(event, next) {
    // Read before the chain runs: what runs inside may narrow the request (the cache rule does).
    const request = { method: event.req.method, acceptEncoding: event.req.headers.get("accept-encoding") };
    const result = await next();
    const response = await finalResponse(event, result);
    if (!response) return result;
    offered ??= options.encodings.filter((encoding) => runtimeCodecs().encodings.has(encoding));
    return compressResponse(request, response, { encodings: offered, threshold: options.threshold }, isInMemory(result), contentTypeOf(response, result));
  };
}

/**
 * `response` compressed for the client that sent `request`, or as it is: only a compressible type
 * (text, JSON, XML, SVG, …) with a body of at least `threshold` bytes, not already encoded,
 * not `Cache-Control: no-transform`, not a partial (206) answer. Every compressible response
 * gets `Vary: Accept-Encoding`, so caches keep the variants apart. A body in memory is compressed
 * at once (and gets its `Content-Length`); a stream is compressed as it flows, each chunk flushed
 * when its length is unknown, so server-sent events arrive as they are sent.
 */
export async function compressResponse(
  request: { method: string; acceptEncoding: string | null },
  response: Response,
  options: ResolvedCompressOptions,
  inMemory: boolean,
  contentType = response.headers.get("content-type"),
): Promise<Response> {
  const { status, statusText } = response;
  if (request.method === "HEAD" || status < 200 || status === 204 || status === 206 || status === 304) return response;
  const original = response.headers;
  if (original.has("content-encoding") || !isCompressibleType(contentType)) return response;
  if (/(?:^|,)\s*no-transform\s*(?:,|$)/i.test(original.get("cache-control") ?? "")) return response;
  const encoding = negotiateEncoding(request.acceptEncoding, options.encodings);
  const declared = original.get("content-length");
  const length = declared === null ? undefined : Number(declared);
  const init = { status, statusText };
  if (encoding === undefined || (length !== undefined && length < options.threshold)) return sentAsItIs(response, contentType, init);
  const headers = new Headers(original);
  if (contentType !== null && !headers.has("content-type")) headers.set("content-type", contentType);
  addVary(headers, "Accept-Encoding");
  headers.set("content-encoding", encoding);
  headers.delete("accept-ranges");
  // A strong validator names exact bytes; the compressed ones differ (RFC 9110 §8.8.1).
  const etag = headers.get("etag");
  if (etag && !etag.startsWith("W/")) headers.set("etag", `W/${etag}`);
  const codecs = runtimeCodecs();
  if (inMemory) {
    const body = await bodyBytes(response);
    if (body.byteLength < options.threshold) {
      restoreUncompressed(headers, original, etag);
      headers.set("content-length", String(body.byteLength));
      return rebuilt(body as Uint8Array<ArrayBuffer>, init, headers);
    }
    const compressed = await codecs.compress(encoding, body);
    headers.set("content-length", String(compressed.byteLength));
    return rebuilt(compressed as Uint8Array<ArrayBuffer>, init, headers, ENCODED);
  }
  if (!response.body) return response;
  headers.delete("content-length");
  return rebuilt(response.body.pipeThrough(codecs.stream(encoding, length === undefined)), init, headers, ENCODED);
}

/**
 * The response uncompressed, with `Vary: Accept-Encoding` (and its content type, where only the
 * handler's value knew it): in place where its headers can change, so a body in memory stays in
 * memory (srvx writes it in one call on Node); rebuilt around its body stream only where they
 * cannot (a fetched response).
 */
function sentAsItIs(response: Response, contentType: string | null, init: { status: number; statusText: string }): Response {
  const decorate = (headers: Headers) => {
    if (contentType !== null && !headers.has("content-type")) headers.set("content-type", contentType);
    addVary(headers, "Accept-Encoding");
  };
  try {
    decorate(response.headers);
    return response;
  } catch {
    const headers = new Headers(response.headers);
    decorate(headers);
    return rebuilt(response.body, init, headers);
  }
}

/**
 * workerd compresses a body itself when the response names a `Content-Encoding`, unless told the
 * body already is encoded (`encodeBody: "manual"`); other runtimes ignore the extra field.
 */
const ENCODED = { encodeBody: "manual" } as const;

function restoreUncompressed(headers: Headers, original: Headers, etag: string | null): void {
  headers.delete("content-encoding");
  if (etag) headers.set("etag", etag);
  const ranges = original.get("accept-ranges");
  if (ranges) headers.set("accept-ranges", ranges);
}

function rebuilt(body: BodyInit | null, init: { status: number; statusText: string }, headers: Headers, extra?: typeof ENCODED): Response {
  return new FastResponse(body, { ...init, headers, ...extra });
}
