/** A `$fetch` typed by an app's routes, for browsers and other processes: the body of `nitrokit/client`. */
import { createFetch, type $Fetch, type FetchOptions } from "ofetch";
import type { RoutesOf, TypedFetch, TypedRoute } from "./fetch-types.js";
import { resolveRequest } from "./path-params.js";

export type { RouteMap, RoutesOf, TypedFetch, TypedFetchOptions, TypedRoute } from "./fetch-types.js";
export type { Serialized } from "./serialize.js";

/** ofetch's options, applied to every request of the client (`baseURL`, `headers`, `retry`, hooks, …). */
export interface ClientOptions extends FetchOptions {
  /** Where the app is served: `https://api.example.com`, or a path on the page's origin. */
  baseURL?: string;
  /** The `fetch` to send requests with (default: the global one); `app.fetch` serves them in-process. */
  fetch?: (request: Request) => Promise<Response>;
}

/**
 * A `$fetch` for the app whose type is `App` (`typeof app`, imported with `import type`):
 * paths, methods, bodies and queries are checked against its routes, and each
 * response has the type of its handler's result as JSON.
 */
export function createClient<App extends { readonly "~routes"?: TypedRoute }>(options: ClientOptions = {}): TypedFetch<RoutesOf<App>> {
  const { fetch, ...defaults } = options;
  const send = createFetch(fetch ? { fetch: ((input: RequestInfo | URL, init?: RequestInit) => fetch(new Request(input, init))) as typeof globalThis.fetch } : {}).create(defaults);
  const client = ((request: Parameters<$Fetch>[0], requestOptions?: Parameters<$Fetch>[1]) =>
    send(resolveRequest(request, requestOptions), requestOptions)) as unknown as TypedFetch<RoutesOf<App>>;
  client.raw = ((request: Parameters<$Fetch["raw"]>[0], requestOptions?: Parameters<$Fetch["raw"]>[1]) =>
    send.raw(resolveRequest(request, requestOptions), requestOptions)) as $Fetch["raw"];
  client.native = send.native;
  client.create = send.create;
  return client;
}
