import type { $Fetch, FetchOptions } from "ofetch";
import { resolveRequest } from "./typed/path-params.js";

type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** Origin given to in-process requests; never resolved or dialled. */
const LOCAL_ORIGIN = "http://localhost";

/**
 * A `fetch` that serves relative URLs (`/api/x`) by calling `serve` in-process,
 * with no socket, and sends absolute URLs to the network.
 */
export function createLocalFetch(serve: (request: Request) => Promise<Response>): FetchLike {
  return (input, init) => {
    if (typeof input === "string" && !isAbsoluteURL(input)) {
      return serve(new Request(new URL(input, LOCAL_ORIGIN), init));
    }
    if (input instanceof Request && new URL(input.url).origin === LOCAL_ORIGIN) {
      return serve(init ? new Request(input, init) : input);
    }
    return globalThis.fetch(input, init);
  };
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
    load().then((f) => f.raw(resolveRequest(request, options), options))) as $Fetch["raw"];
  $fetch.native = ((input: RequestInfo | URL, init?: RequestInit) => localFetch(input, init)) as $Fetch["native"];
  $fetch.create = (defaults, globalOptions) => lazyFetch(() => load().then((f) => f.create(defaults, globalOptions)), localFetch);
  return $fetch;
}
