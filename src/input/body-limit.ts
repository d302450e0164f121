import { HTTPError, type H3Event } from "h3";
import { limitBodyStream } from "srvx/body-limit";
import { forwardMember } from "./request-proxy.js";

/**
 * Refuses a request whose declared `Content-Length` is over `limit` before anything
 * reads it. Without this, on Node a body is counted as it arrives: a client that
 * declares 1 GB and sends 10 bytes holds the request (and its socket) open until it
 * gives up. Chunked bodies, which declare nothing, are still cut off as they cross
 * the limit while being read.
 */
export function refuseDeclaredOversize(event: H3Event, limit: number): void {
  const request = event.req;
  // On Node, straight from Node's parsed headers: srvx's `headers` would be built for this one read.
  const node = nodeRequestOf(request);
  // Elsewhere, a request with no body (on Bun every GET, whatever it declares) has nothing to refuse,
  // and `body` says so for less than `headers`, which Bun builds from the wire on first read (~1 µs
  // per request measured on Bun 1.4.5). limitBody's Proxy is not asked: its `body` sets up the count.
  if (!node && !countedRequests.has(request) && request.body === null) return;
  const declared = node ? (node.headers["content-length"] as string | undefined) : request.headers.get("content-length");
  // A number as long as the limit's or longer is the only kind that can exceed it: skips the parse for small bodies.
  if (declared == null || declared.length < String(limit).length) return;
  if (Number(declared) > limit) throw bodyTooLarge(limit);
}

/** `413` as the app's JSON error. */
function bodyTooLarge(limit: number): HTTPError {
  return new HTTPError({
    status: 413,
    statusText: "Content Too Large",
    message: `Request body size exceeds the limit of ${limit} bytes (maxRequestBodySize).`,
  });
}

/**
 * After a 413 the rest of the body is unread on the wire: reading it away would let a
 * client keep the server busy with data it already refused, and the socket cannot
 * serve another request until it is gone. `Connection: close` ends the connection
 * once the answer is out (Node acts on it; on other runtimes it is a hint).
 */
export function closeAfterBodyTooLarge(response: Response): Response {
  if (response.status !== 413 || response.headers.get("connection") === "close") return response;
  try {
    response.headers.set("connection", "close");
    return response;
  } catch {
    // Immutable headers (a Response from fetch()): copy them.
    const headers = new Headers(response.headers);
    headers.set("connection", "close");
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}

/**
 * The request with its body counted as it streams (srvx's `limitBodyStream`: a `413`
 * once `limit` bytes are crossed), for every way of reading it (`body`, `text()`,
 * `json()`, `formData()` …); a request without a body is returned as it is.
 *
 * This is srvx's `limitRequestBody` (srvx 1.0.8), written here because of two bugs
 * in it; no upstream issue was found for either when this was written, so search
 * h3js/srvx before going back to it:
 * - its Proxy binds every method, which breaks `waitUntil` on srvx's own Bun and Deno
 *   requests (see {@link forwardMember}, the one place that works around it).
 * - it reads `formData()` from a bare `Response` around the counted stream, which has
 *   no `Content-Type`, so every multipart or urlencoded `formData()` failed ("Invalid
 *   form data body"). The counted body keeps the request's type.
 */
export function limitBody(request: Request, limit: number): Request {
  if (!mayHaveBody(request)) return request;
  const initiallyUsed = request.bodyUsed;
  let limited: Response | undefined;
  let native: Request | undefined;
  // Built on the first read: srvx's Node request turns the socket into a web stream only when asked.
  const counted = () => {
    if (limited) return limited;
    const type = request.headers.get("content-type");
    const source = request.body;
    return (limited = new Response(source && limitBodyStream(source, limit), type ? { headers: { "content-type": type } } : undefined));
  };
  const proxy = new Proxy(request, {
    get(target, prop) {
      if (prop === "body") return counted().body;
      if (prop === "bodyUsed") return initiallyUsed || (limited?.bodyUsed ?? false);
      if (typeof prop === "string" && BODY_READS.has(prop)) return () => (counted() as unknown as Record<string, () => Promise<unknown>>)[prop]!();
      if (prop === "clone") return () => limitBody(target.clone(), limit);
      // srvx's Node request hands out a native Request as `_request`: it must read the counted body too.
      if (prop === "_request" && "_request" in target) {
        return (native ??= new Request(target.url, { method: target.method, headers: target.headers, signal: target.signal, body: counted().body, duplex: "half" } as RequestInit));
      }
      return forwardMember(target, prop);
    },
  });
  countedRequests.add(proxy);
  return proxy;
}

/** The requests {@link limitBody} wrapped: their body is counted as it is read. */
const countedRequests = new WeakSet<Request>();

const BODY_READS = new Set(["arrayBuffer", "blob", "bytes", "formData", "json", "text"]);

/**
 * Whether the request can carry a body. srvx's Node request answers `body` by wrapping the socket
 * in a web stream, for every method but GET and HEAD: ask Node's request instead, which knows
 * from the headers (a body is declared by Content-Length or Transfer-Encoding, RFC 9112 §6.3).
 */
function mayHaveBody(request: Request): boolean {
  const node = nodeRequestOf(request);
  // A body some server framework already read into `rawBody` is served from it: srvx knows.
  if (!node || node.rawBody !== undefined) return request.body !== null;
  const length = node.headers["content-length"];
  return (length !== undefined && length !== "0") || node.headers["transfer-encoding"] !== undefined;
}

/** The `node:http` request under srvx's Node request, if this is one (read structurally: no `node:` import here). */
function nodeRequestOf(request: Request): { headers: Record<string, string | string[] | undefined>; rawBody?: unknown } | undefined {
  return (request as { runtime?: { node?: { req?: { headers: Record<string, string | string[] | undefined>; rawBody?: unknown } } } }).runtime?.node?.req;
}
