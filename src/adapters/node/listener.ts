import type { IncomingMessage, ServerResponse } from "node:http";
import type { H3EventContext } from "h3";
import { FastURL, NodeRequest, sendNodeResponse } from "srvx/node";
import { PlainJSONResponse, type PlainAnswerParts } from "../../app/plain-response.js";

/** Serves one request: the app's request path (`app["~serve"]`), or whatever `nitrokit dev` swapped in. */
export type FetchLike = (request: Request, context?: H3EventContext) => Response | Promise<Response>;

type NodeRequestOptions = ConstructorParameters<typeof NodeRequest>[0];

/** What srvx's FastResponse hands a Node server: the response as parts, without building a web `Response`. */
interface NodeResponseParts {
  status: number;
  statusText: string;
  headers: string[];
  body: unknown;
}

interface FastResponseLike {
  _toNodeResponse?: () => NodeResponseParts;
}

/**
 * The `node:http` request listener of every Node entry (`serve()`, `toNodeHandler()`): srvx's lazy
 * `Request` over `req`/`res` in, the app's response out.
 *
 * It differs from srvx's own listener in how a body that is already in memory (a string or bytes:
 * JSON, HTML, text, errors) is written: in one `res.end(body)` with the headers, where srvx calls
 * `res.write(body)` then `res.end()`, which costs Node a second buffered chunk and a `writev` per
 * response (measured: 8% of raw node:http's throughput). Streams, piped bodies and plain `Response`
 * objects go to srvx's `sendNodeResponse`, as do failures to write.
 *
 * @param fetch reads the current handler on every request (`replaceApp` swaps it).
 * @param options `waitUntil`: srvx's tracker of background work, so shutdown waits for it;
 *   `trustProxy`: which proxies' `X-Forwarded-*` headers the request's IP and URL honour (srvx's option).
 */
export function createNodeListener(
  fetch: () => FetchLike,
  options: { waitUntil?: (promise: Promise<unknown>) => void; trustProxy?: NodeRequestOptions["trustProxy"] } = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const { waitUntil, trustProxy } = options;
  const hosts = new KnownHosts();
  return (req, res) => {
    const target = req.url;
    // A request target that is neither a path, `*`, nor an absolute http(s) URL (srvx answers these the same way).
    if (target && target[0] !== "/" && target !== "*" && !isAbsoluteHttpURL(target)) {
      res.statusCode = 400;
      res.end();
      return;
    }
    const request = new NodeRequest({ req, res, trustProxy });
    if (waitUntil) request.waitUntil = waitUntil;
    if (!trustProxy && target?.[0] === "/") hosts.giveURL(req, request);
    let response: Response | Promise<Response>;
    try {
      response = fetch()(request);
    } catch (error) {
      return fail(res, error);
    }
    if (isPromise(response)) {
      response.then(
        (resolved) => writeResponse(res, resolved),
        (error: unknown) => fail(res, error),
      );
    } else {
      writeResponse(res, response);
    }
  };
}

/**
 * The request's URL, for a request with no proxy to trust and a path as its target, built from
 * `req` the way srvx's own does but without checking the `Host` header's syntax again when an
 * earlier request of this listener had the very same one (measured: srvx's check is the costliest
 * step of the URL, ~0.1 µs a request on Node 20, and nearly every request repeats its host).
 *
 * Which hosts pass is learnt from srvx: a request with a host not seen yet gets srvx's URL, and
 * its host is remembered when srvx kept it as sent (it writes `_invalid_` for a host it refuses).
 */
class KnownHosts {
  /** Hosts srvx accepted as sent; a few, since a server rarely answers to many names (and never grows past the cap). */
  readonly #accepted = new Set<string>();

  giveURL(req: IncomingMessage, request: InstanceType<typeof NodeRequest>): void {
    const { host } = req.headers;
    if (host === undefined) return;
    if (!this.#accepted.has(host)) {
      if (this.#accepted.size < MAX_KNOWN_HOSTS && request._url?.host === host) this.#accepted.add(host);
      return;
    }
    const path = req.url as string;
    const query = path.indexOf("?");
    request._url = new FastURL({
      protocol: (req.socket as { encrypted?: boolean } | null)?.encrypted ? "https:" : "http:",
      host,
      pathname: query === -1 ? path : path.slice(0, query) || "/",
      search: query === -1 ? "" : path.slice(query),
    });
  }
}

const MAX_KNOWN_HOSTS = 32;

function writeResponse(res: ServerResponse, response: Response): void {
  const plain = PlainJSONResponse.partsOf(response);
  if (plain !== undefined && !res.headersSent) return writePlainAnswer(res, plain);
  const toNode = (response as FastResponseLike)._toNodeResponse;
  if (typeof toNode !== "function" || res.headersSent) return void sendNodeResponse(res, response).catch((error: unknown) => fail(res, error));
  const parts = toNode.call(response);
  const { body } = parts;
  if (body != null && typeof body !== "string" && !(body instanceof Uint8Array)) {
    // A stream or a piped body: srvx writes it (with back-pressure, HEAD and abort handling).
    return void sendNodeResponse(res, rewrap(parts) as unknown as Response).catch((error: unknown) => fail(res, error));
  }
  try {
    if (res.req.httpVersion === "2.0") res.writeHead(parts.status, parts.headers);
    else res.writeHead(parts.status, reasonPhrase(parts.statusText), parts.headers);
    res.end(body ?? undefined);
  } catch (error) {
    fail(res, error);
  }
}

/** A handler's plain object as JSON (app/plain-response.ts), written from the parts it was built from: a 200, its headers, the length. */
function writePlainAnswer(res: ServerResponse, { body, headers }: PlainAnswerParts): void {
  try {
    // The list's last value is the length's (plain-response.ts): a copy of the exact size, no growing it.
    const flat = headers.slice();
    flat[flat.length - 1] = String(Buffer.byteLength(body));
    res.writeHead(200, flat);
    res.end(body);
  } catch (error) {
    fail(res, error);
  }
}

/** The parts back in the shape srvx's `sendNodeResponse` reads (it asks the response for them again). */
function rewrap(parts: NodeResponseParts): FastResponseLike {
  return { _toNodeResponse: () => parts };
}

/** The status line's reason phrase: the response's own (stripped of characters a status line cannot hold), else Node's default. */
function reasonPhrase(statusText: string): string | undefined {
  return statusText ? statusText.replace(/[^\t\u0020-\u007E\u0080-\u00FF]/g, "") : undefined;
}

function fail(res: ServerResponse, error: unknown): void {
  console.error("[nitrokit] Failed to send the response:", error);
  if (res.writableEnded) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = 500;
  res.end();
}

function isAbsoluteHttpURL(target: string): boolean {
  if (!URL.canParse(target)) return false;
  const url = new URL(target);
  return (url.protocol === "http:" || url.protocol === "https:") && url.host !== "";
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Promise<T> | undefined)?.then === "function";
}
