/** Content codings nitrokit can produce, in its order of preference when a client rates several equally. */
export type ContentEncoding = "br" | "zstd" | "gzip" | "deflate";

export const ALL_ENCODINGS: readonly ContentEncoding[] = ["br", "zstd", "gzip", "deflate"];

/**
 * The coding to answer with, from `Accept-Encoding` (RFC 9110 §12.5.3): the highest q-value among
 * `offered`, ties going to the earlier entry of `offered`; `*` covers codings not named; `q=0`
 * refuses. `undefined`: send it as it is.
 */
export function negotiateEncoding(acceptEncoding: string | null, offered: readonly ContentEncoding[]): ContentEncoding | undefined {
  if (!acceptEncoding) return undefined;
  const ratings = new Map<string, number>();
  for (const part of acceptEncoding.split(",")) {
    const [token, ...params] = part.split(";");
    const name = token!.trim().toLowerCase();
    if (!name) continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split("=");
      if (key?.trim().toLowerCase() === "q") q = Number(value?.trim());
    }
    ratings.set(name, Number.isFinite(q) ? Math.min(1, Math.max(0, q)) : 0);
  }
  const wildcard = ratings.get("*");
  let best: ContentEncoding | undefined;
  let bestQ = 0;
  for (const encoding of offered) {
    const q = ratings.get(encoding) ?? (encoding === "gzip" ? ratings.get("x-gzip") : undefined) ?? wildcard ?? 0;
    if (q > bestQ) {
      best = encoding;
      bestQ = q;
    }
  }
  return best;
}

/** Types worth compressing: text, and the structured formats served as `application/*`. Images, video, archives already are. */
const COMPRESSIBLE = /^(?:text\/|application\/(?:json|javascript|ecmascript|xml|x-javascript|x-www-form-urlencoded|graphql-response\+json|ld\+json|manifest\+json|wasm|[\w.+-]*\+(?:json|xml))|image\/(?:svg\+xml|x-icon|vnd\.microsoft\.icon|bmp)|font\/(?:ttf|otf)|application\/vnd\.ms-fontobject)/i;

export function isCompressibleType(contentType: string | null): boolean {
  return contentType !== null && COMPRESSIBLE.test(contentType.trim());
}
