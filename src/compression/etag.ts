import type { Middleware } from "h3";
import { FastResponse } from "srvx";
import { builtinModule } from "../platform/builtin-module.js";
import { bodyBytes, contentTypeOf, finalResponse, isInMemory } from "./response.js";

/** Headers a 304 carries over from the 200 it stands for (RFC 9110 §15.4.5). */
const NOT_MODIFIED_HEADERS = ["cache-control", "content-location", "date", "etag", "expires", "vary", "last-modified"];

/**
 * Middleware giving `GET` answers a weak `ETag` computed from the body (SHA-1 of the bytes) and
 * answering `304 Not Modified` to a matching `If-None-Match`. Only for `200` bodies already in
 * memory (a stream is never read ahead), never for `Cache-Control: no-store`; a response that has
 * an `ETag` keeps it and still gets the `304`.
 */
export function etagMiddleware(): Middleware {
  return async function etag(event, next) {
    if (event.req.method !== "GET") return next();
    // Read before the chain runs: what runs inside may narrow the request (the cache rule does).
    const ifNoneMatch = event.req.headers.get("if-none-match");
    const result = await next();
    const response = await finalResponse(event, result);
    if (!response) return result;
    if (response.status !== 200 || /(?:^|,)\s*no-store\s*(?:,|$)/i.test(response.headers.get("cache-control") ?? "")) return response;
    let tag = response.headers.get("etag");
    let answer = response;
    if (!tag) {
      if (!isInMemory(result)) return response;
      const { statusText } = response;
      const headers = new Headers(response.headers);
      const type = contentTypeOf(response, result);
      if (type !== null && !headers.has("content-type")) headers.set("content-type", type);
      const body = await bodyBytes(response);
      tag = await weakETag(body);
      headers.set("etag", tag);
      headers.set("content-length", String(body.byteLength));
      answer = new FastResponse(body as Uint8Array<ArrayBuffer>, { status: 200, statusText, headers });
    }
    if (!matchesIfNoneMatch(ifNoneMatch, tag)) return answer;
    await answer.body?.cancel();
    const headers = new Headers();
    for (const name of NOT_MODIFIED_HEADERS) {
      const value = answer.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    return new FastResponse(null, { status: 304, headers });
  };
}

/** node:crypto where the runtime has it (hashing a 10 kB body: 9 µs, against 35 µs through `crypto.subtle`). */
let nodeCrypto: typeof import("node:crypto") | undefined | null;

async function weakETag(body: Uint8Array): Promise<string> {
  let hash: string;
  if (nodeCrypto === undefined) nodeCrypto = builtinModule<typeof import("node:crypto")>("node:crypto") ?? null;
  if (nodeCrypto?.createHash) hash = nodeCrypto.createHash("sha1").update(body).digest("base64url");
  else {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", body as Uint8Array<ArrayBuffer>));
    let binary = "";
    for (const byte of digest) binary += String.fromCharCode(byte);
    hash = btoa(binary).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  }
  return `W/"${body.byteLength.toString(16)}-${hash}"`;
}

/** Weak comparison (RFC 9110 §13.1.2): `*`, or any listed tag equal once `W/` is ignored. */
function matchesIfNoneMatch(header: string | null, tag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const opaque = tag.replace(/^W\//, "");
  return header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === opaque);
}
