import { builtinModule } from "../platform/builtin-module.js";
import type { ContentEncoding } from "./encoding.js";

/** node:zlib, with the zstd functions of Node ≥ 22.15 (absent from older typings and runtimes). */
type Zlib = typeof import("node:zlib") & {
  createZstdCompress?: (options?: { flush?: number }) => import("node:stream").Transform;
  zstdCompress?: (body: Uint8Array, options: object, done: (error: Error | null, result: Uint8Array) => void) => void;
  zstdCompressSync?: (body: Uint8Array) => Uint8Array;
};
type NodeStream = typeof import("node:stream");
type Transform = import("node:stream").Transform;

/**
 * Brotli at quality 4: for responses made per request, the higher levels cost far more CPU for a
 * few percent (the default, 11, is meant for assets compressed once at build time).
 */
const BROTLI_QUALITY = 4;

/** Bodies up to this size are compressed on the calling thread (well under a millisecond); larger ones in the thread pool. */
const SYNC_LIMIT = 64 * 1024;

/** The runtime's codecs: `node:zlib` on Node, Bun and Deno; `CompressionStream` (gzip, deflate) elsewhere. */
interface Codecs {
  readonly encodings: ReadonlySet<ContentEncoding>;
  /** Compresses a whole body at once (off the main thread on node:zlib). */
  compress(encoding: ContentEncoding, body: Uint8Array): Promise<Uint8Array>;
  /** A stream that compresses as it goes; with `flushEachChunk`, every chunk written leaves at once (event streams). */
  stream(encoding: ContentEncoding, flushEachChunk: boolean): TransformStream<Uint8Array, Uint8Array>;
}

let codecs: Codecs | undefined;

/** Loaded on first use, so importing nitrokit costs nothing for apps that never compress. */
export function runtimeCodecs(): Codecs {
  return (codecs ??= zlibCodecs() ?? webCodecs());
}

function zlibCodecs(): Codecs | undefined {
  const zlib = builtinModule<Zlib>("node:zlib");
  const stream = builtinModule<NodeStream>("node:stream");
  if (!zlib || !stream?.Duplex?.toWeb) return undefined;
  const { constants } = zlib;
  const encodings = new Set<ContentEncoding>(["br", "gzip", "deflate"]);
  if (typeof zlib.createZstdCompress === "function") encodings.add("zstd");
  const brotliParams = { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY };
  const create = (encoding: ContentEncoding, flush: boolean): Transform => {
    switch (encoding) {
      case "br":
        return zlib.createBrotliCompress({ params: brotliParams, ...(flush && { flush: constants.BROTLI_OPERATION_FLUSH }) });
      case "zstd":
        // ZSTD_e_flush (1): end a block at each write, as Z_SYNC_FLUSH does for gzip.
        return zlib.createZstdCompress!(flush ? { flush: 1 } : {});
      case "gzip":
        return zlib.createGzip(flush ? { flush: constants.Z_SYNC_FLUSH } : {});
      case "deflate":
        return zlib.createDeflate(flush ? { flush: constants.Z_SYNC_FLUSH } : {});
    }
  };
  const oneShot = (encoding: ContentEncoding, body: Uint8Array): Promise<Uint8Array> => {
    // Small bodies synchronously: the trip to libuv's thread pool costs more than compressing them
    // (measured on ~10 kB of JSON: gzip 120 µs inline against 425 µs through the pool).
    if (body.byteLength <= SYNC_LIMIT) {
      try {
        return Promise.resolve(compressSync(encoding, body));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise((resolve, reject) => {
      const done = (error: Error | null, result: Uint8Array) => (error ? reject(error) : resolve(result));
      if (encoding === "br") zlib.brotliCompress(body, { params: brotliParams }, done);
      else if (encoding === "zstd") zlib.zstdCompress!(body, {}, done);
      else if (encoding === "gzip") zlib.gzip(body, done);
      else zlib.deflate(body, done);
    });
  };
  const compressSync = (encoding: ContentEncoding, body: Uint8Array): Uint8Array => {
    if (encoding === "br") return zlib.brotliCompressSync(body, { params: brotliParams });
    if (encoding === "zstd") return zlib.zstdCompressSync!(body);
    if (encoding === "gzip") return zlib.gzipSync(body);
    return zlib.deflateSync(body);
  };
  return {
    encodings,
    compress: oneShot,
    stream: (encoding, flush) => stream.Duplex.toWeb(create(encoding, flush)) as unknown as TransformStream<Uint8Array, Uint8Array>,
  };
}

function webCodecs(): Codecs {
  const encodings = new Set<ContentEncoding>(typeof CompressionStream === "function" ? ["gzip", "deflate"] : []);
  const stream = (encoding: ContentEncoding): TransformStream<Uint8Array, Uint8Array> =>
    new CompressionStream(encoding as "gzip" | "deflate") as unknown as TransformStream<Uint8Array, Uint8Array>;
  return {
    encodings,
    stream,
    async compress(encoding, body) {
      const compressed = new Response(new Blob([body as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream(encoding)));
      return new Uint8Array(await compressed.arrayBuffer());
    },
  };
}
