import type { BunHttpServer, ServerRequest } from "srvx";
import { FastURL } from "srvx";

/** The server's tracker of background work (srvx's), so a graceful stop waits for it. */
type WaitUntil = (promise: Promise<unknown>) => void;

/** srvx's Bun fetch signature: the request, and the server Bun passes with it. */
export type BunFetch = (request: Request, server: BunHttpServer) => Response | Promise<Response> | undefined;

/**
 * Gives Bun's requests what srvx's Bun server gives them — `runtime` (`{ name: "bun", bun: { server } }`),
 * `ip` (`getRequestIP`) and `waitUntil` — plus a `_url` h3 builds `event.url` from, for a fraction of
 * the cost, then hands them to `fetch`.
 *
 * Why not srvx's own per-request code: it calls `Object.defineProperties` on every request with three
 * fresh descriptors, a fresh getter closure and a fresh `runtime` object. On Bun (JavaScriptCore) that
 * took a quarter of nitrokit's CPU time per request in a profile of the bench app; measured alone,
 * ~2.8 µs per request, against ~0.07 µs for what is done here: one `Object.setPrototypeOf` to a
 * prototype made once per server, which extends `Request.prototype` with those members (so the object
 * stays Bun's native request, `instanceof Request`, and `server.upgrade(request)` still accepts it).
 *
 * And h3 builds `event.url` from `request._url` when the request has one, else from `request.url`,
 * which on Bun is absolute, so srvx's `FastURL` parses it with the native `URL` at once (~0.6 µs;
 * each later `pathname` read goes through it again). The `_url` here splits the string and hands
 * its parts to `FastURL`, which still falls back to the native `URL` for anything it would
 * normalize (dot segments, backslashes, characters to percent-encode), as it does for srvx's Node
 * requests. The host is taken as is only when it is already in canonical form (lower case,
 * no user info); anything else goes to `URL` too.
 *
 * The `runtime` object is the server's, shared by its requests (srvx makes one per request): it is
 * frozen, so code that writes to it fails loudly instead of leaking into other requests.
 *
 * @param waitUntilOf the server's `waitUntil`, read when its first request arrives (the server exists by then).
 */
export function withBunRequestMembers(fetch: (request: ServerRequest) => Response | Promise<Response>, waitUntilOf: () => WaitUntil | undefined): BunFetch {
  let forServer: BunHttpServer | undefined;
  let prototype: object | undefined;
  return (request, server) => {
    if (server !== forServer || !prototype) {
      prototype = requestPrototype(server, waitUntilOf());
      forServer = server;
    }
    Object.setPrototypeOf(request, prototype);
    return fetch(request as ServerRequest);
  };
}

/** The prototype of one server's requests: `Request.prototype` plus the members srvx's requests have. */
function requestPrototype(server: BunHttpServer, waitUntil: WaitUntil | undefined): object {
  const runtime = Object.freeze({ name: "bun", bun: Object.freeze({ server }) });
  return Object.create(Request.prototype, {
    runtime: { value: runtime, enumerable: true, configurable: true },
    waitUntil: { value: waitUntil, configurable: true, writable: true },
    ip: {
      enumerable: true,
      configurable: true,
      get(this: Request) {
        return server.requestIP(this)?.address;
      },
    },
    _url: {
      configurable: true,
      // Read once per request by h3 (new H3Event); not cached, since the request's own `url` is what it comes from.
      get(this: Request) {
        return fastURLOf(this.url);
      },
      // Whoever replaces it (srvx-style code) gets an own property, as on any other request.
      set(this: Request, value: unknown) {
        Object.defineProperty(this, "_url", { value, writable: true, configurable: true, enumerable: false });
      },
    },
  });
}

/**
 * A host already in the form `URL` gives it: a lower-case name whose last label starts with a letter
 * (`URL` reads a numeric last label as IPv4, e.g. `127.1`), or a dotted-quad IPv4 without leading
 * zeros, and a port without leading zeros. IPv6 and anything else go to `URL`.
 */
const CANONICAL_HOST = /^(?:(?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*|(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d))(?::([1-9]\d{0,4}))?$/;

/** Whether `host` needs nothing of what `URL` would do to it (see {@link CANONICAL_HOST}; a scheme's default port is dropped by `URL`). */
function isCanonicalHost(host: string, protocol: string): boolean {
  // A server sees the same few hosts over and over: the last one that passed skips the regex.
  if (host === lastCanonicalHost && protocol === lastCanonicalProtocol) return true;
  const match = CANONICAL_HOST.exec(host);
  // IDNA labels (`xn--`) are checked and may be rewritten by `URL`.
  if (!match || host.includes("xn--")) return false;
  const port = match[1];
  if (port !== undefined && (Number(port) > 65535 || port === (protocol === "https:" ? "443" : "80"))) return false;
  lastCanonicalHost = host;
  lastCanonicalProtocol = protocol;
  return true;
}
/** The last host (and scheme) {@link isCanonicalHost} accepted: a pure cache, whatever server or app asked. */
let lastCanonicalHost: string | undefined;
let lastCanonicalProtocol: string | undefined;

/** `url` (absolute, as Bun gives it) as srvx's `FastURL`, without the native `URL` when its parts need no normalizing. */
export function fastURLOf(url: string): URL {
  const schemeEnd = url.indexOf("://");
  const pathStart = schemeEnd === -1 ? -1 : url.indexOf("/", schemeEnd + 3);
  const protocol = schemeEnd === -1 ? "" : url.slice(0, schemeEnd + 1);
  const host = pathStart === -1 ? "" : url.slice(schemeEnd + 3, pathStart);
  if ((protocol !== "http:" && protocol !== "https:") || !isCanonicalHost(host, protocol)) return new FastURL(url);
  const queryStart = url.indexOf("?", pathStart);
  // A lone "?" stays in URL's href but not in its search: FastURL's parts cannot say that.
  if (queryStart === url.length - 1) return new FastURL(url);
  const pathname = queryStart === -1 ? url.slice(pathStart) : url.slice(pathStart, queryStart);
  // FastURL's object form re-checks the path and query and falls back to `URL` itself for what URL would change.
  const search = queryStart === -1 ? "" : url.slice(queryStart);
  // FastURL's object form, typed as a URL: the form srvx's own Node requests build theirs with (srvx 1.0.8).
  return new FastURL({ protocol, host, pathname, search } as unknown as URL);
}
