/**
 * `nitrokit/client`: a `$fetch` typed by a nitrokit app's routes, for browsers and
 * other processes. It imports no server code: the app comes in as a type only.
 *
 * @example
 * import { createClient } from "nitrokit/client";
 * import type { app } from "./server/app.js"; // a type-only import: nothing of the server is bundled
 *
 * const api = createClient<typeof app>({ baseURL: "https://api.example.com" });
 * const user = await api("/api/users/:id", { pathParams: { id: 7 } }); // typed by the route's handler
 * @module
 */
export { createClient, type ClientOptions } from "./typed/client.js";
export type { RouteMap, RoutesOf, TypedFetch, TypedFetchOptions, TypedRoute } from "./typed/fetch-types.js";
export type { Serialized } from "./typed/serialize.js";
