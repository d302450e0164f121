import type { Middleware } from "h3";
import { compressMiddleware, resolveCompressOptions, type CompressOptions } from "./compress.js";
import { etagMiddleware } from "./etag.js";

export type { CompressOptions, ContentEncoding } from "./compress.js";

/**
 * Response compression as middleware, the same as the `compress` route rule: brotli, zstd, gzip
 * or deflate (what the runtime has: `node:zlib`, else `CompressionStream`), chosen from the
 * client's `Accept-Encoding` q-values, with `Vary: Accept-Encoding`. Small bodies, types that are
 * already compressed (images, archives), encoded responses and `Cache-Control: no-transform` are
 * left alone; streams stay streams (an event stream's events are flushed as they are sent).
 *
 * @example
 * import { createNitroApp, defineCompression } from "nitrokit";
 * const app = createNitroApp();
 * app.use(defineCompression({ threshold: 512 }));
 * app.get("/api/items", () => Array.from({ length: 500 }, (_, id) => ({ id, name: `item ${id}` })));
 * const res = await app.fetch(new Request("http://localhost/api/items", { headers: { "accept-encoding": "gzip" } }));
 * res.headers.get("content-encoding"); // "gzip"
 */
export function defineCompression(options: CompressOptions | true = true): Middleware {
  return compressMiddleware(resolveCompressOptions(options, "defineCompression()"));
}

/**
 * Weak ETags for dynamic responses as middleware, the same as the `etag: true` route rule: a `GET`
 * answered `200` with a body in memory gets `ETag: W/"…"` from a hash of its bytes, and a request
 * whose `If-None-Match` matches gets `304 Not Modified` with no body. Streams and
 * `Cache-Control: no-store` responses are left alone.
 *
 * @example
 * import { createNitroApp, defineETag } from "nitrokit";
 * const app = createNitroApp();
 * app.get("/api/config", () => ({ theme: "dark" }), { middleware: [defineETag()] });
 * const first = await app.fetch(new Request("http://localhost/api/config"));
 * const etag = first.headers.get("etag")!;
 * const again = await app.fetch(new Request("http://localhost/api/config", { headers: { "if-none-match": etag } }));
 * again.status; // 304
 */
export function defineETag(): Middleware {
  return etagMiddleware();
}
