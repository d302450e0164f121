import type { $Fetch, FetchOptions } from "ofetch";
import { resolveRequest } from "../typed/path-params.js";
import { instrumentation } from "../app/instrumentation.js";

type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** Origin given to in-process requests; never resolved or dialled. */
export const LOCAL_ORIGIN = "http://localhost";

/**
 * Marks a call from `$fetch.raw`: the response it returns must keep a readable body
 * although ofetch reads the original to fill `_data`.
 */
const kKeepBody = Symbol("nitrokit.keepBody");
/** The unread copy of a response, taken before ofetch reads it. */
const kUnread = Symbol("nitrokit.unread");

type KeepBodyInit = RequestInit & { [kKeepBody]?: true };
type WithUnreadCopy = Response & { [kUnread]?: Response; _data?: unknown };

/**
 * A `fetch` that serves relative URLs (`/api/x`) by calling `serve` in-process,
 * with no socket, and sends absolute URLs to the network.
 */
export function createLocalFetch(serve: (request: Request) => Promise<Response>): FetchLike {
  const send: FetchLike = (input, init) => {
    if (typeof input === "string" && !isAbsoluteURL(input)) {
      return serve(new Request(new URL(input, LOCAL_ORIGIN), init));
    }
    if (input instanceof Request && new URL(input.url).origin === LOCAL_ORIGIN) {
      return serve(init ? new Request(input, init) : input);
    }
    return networkFetch(input, init);
  };
  return (input, init) => {
    if (!(init as KeepBodyInit | undefined)?.[kKeepBody]) return send(input, init);
    return send(input, init).then((response: WithUnreadCopy) => {
      if (response.body) response[kUnread] = response.clone();
      return response;
    });
  };
}

/**
 * What `$fetch.raw` hands back: ofetch's response with `_data`, but with a body still
 * readable, so a handler can return it as is (`return $fetch.raw("/api/x")`). ofetch
 * reads the body it got to parse `_data`; sending that spent body would reset the socket.
 */
function withReadableBody<R extends WithUnreadCopy>(response: R): R {
  const copy = response[kUnread];
  if (!copy) return response;
  return Object.assign(copy, { _data: response._data }) as R;
}

/**
 * The platform's `fetch`, for requests that leave the process. While tracing is on, the call
 * runs in a client span and carries the trace (`traceparent`, `tracestate`) to the service.
 */
export function networkFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const spans = instrumentation();
  if (!spans) return globalThis.fetch(input, init);
  const url = new URL(input instanceof Request ? input.url : input);
  const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
  const attributes = {
    "http.request.method": method,
    // Without credentials or query string: both carry secrets often enough.
    "url.full": `${url.protocol}//${url.host}${url.pathname}`,
    "server.address": url.hostname,
    "server.port": Number(url.port) || (url.protocol === "https:" ? 443 : 80),
  };
  return spans.span(
    method,
    attributes,
    async () => {
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      spans.inject(headers);
      const response = await globalThis.fetch(input, { ...init, headers });
      spans.annotate("http.response.status_code", response.status);
      return response;
    },
    "client",
  );
}

function isAbsoluteURL(input: string): boolean {
  return /^[a-z][a-z\d+\-.]*:/i.test(input) || input.startsWith("//");
}

/**
 * ofetch's `$fetch` over `localFetch`. ofetch is imported on the first call
 * rather than at start-up: most servers never use `$fetch`, and loading it
 * costs about as much as the rest of the app's boot.
 */
export function createAppFetch(localFetch: FetchLike, defaults?: FetchOptions): $Fetch {
  let instance: Promise<$Fetch> | undefined;
  const load = () =>
    (instance ??= import("ofetch").then(({ createFetch }) => {
      const base = createFetch({ fetch: localFetch as typeof globalThis.fetch });
      return defaults ? base.create(defaults) : base;
    }));
  return lazyFetch(load, localFetch);
}

function lazyFetch(load: () => Promise<$Fetch>, localFetch: FetchLike): $Fetch {
  // `pathParams` fills a route pattern (`/users/:id`) for typed calls; ofetch ignores the option.
  const $fetch = ((request: Parameters<$Fetch>[0], options?: Parameters<$Fetch>[1]) =>
    load().then((f) => f(resolveRequest(request, options), options))) as $Fetch;
  $fetch.raw = ((request: Parameters<$Fetch["raw"]>[0], options?: Parameters<$Fetch["raw"]>[1]) =>
    load()
      .then((f) => f.raw(resolveRequest(request, options), { ...options, [kKeepBody]: true } as Parameters<$Fetch["raw"]>[1]))
      .then(withReadableBody)) as $Fetch["raw"];
  $fetch.native = ((input: RequestInfo | URL, init?: RequestInit) => localFetch(input, init)) as $Fetch["native"];
  $fetch.create = (defaults, globalOptions) => lazyFetch(() => load().then((f) => f.create(defaults, globalOptions)), localFetch);
  return $fetch;
}
