import { HTTPError, type H3Event } from "h3";
import { limitRequestBody } from "srvx/body-limit";

/**
 * Refuses a request whose declared `Content-Length` is over `limit` before anything
 * reads it. Without this, on Node a body is counted as it arrives: a client that
 * declares 1 GB and sends 10 bytes holds the request (and its socket) open until it
 * gives up. Chunked bodies, which declare nothing, are still cut off as they cross
 * the limit while being read.
 */
export function refuseDeclaredOversize(event: H3Event, limit: number): void {
  const declared = event.req.headers.get("content-length");
  // A number as long as the limit's or longer is the only kind that can exceed it: skips the parse for small bodies.
  if (declared === null || declared.length < String(limit).length) return;
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
 * srvx's `limitRequestBody` (bytes counted as the body streams, `413` past `limit`),
 * keeping form bodies readable: srvx reads `formData()` from a bare `Response` around
 * the counted stream, which has no `Content-Type`, so every multipart or urlencoded
 * `formData()` failed ("Invalid form data body"). Those requests get their type back;
 * every other request is srvx's wrapper unchanged.
 */
export function limitBody(request: Request, limit: number): Request {
  const limited = limitRequestBody(request, limit);
  if (limited === request) return request;
  const type = request.headers.get("content-type");
  if (!type || !FORM_TYPE.test(type)) return limited;
  return new Proxy(limited, {
    get(target, prop) {
      if (prop === "formData") return () => new Response(target.body, { headers: { "content-type": type } }).formData();
      const value: unknown = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const FORM_TYPE = /^\s*(?:multipart\/form-data|application\/x-www-form-urlencoded)/i;
