import type { H3EventContext } from "h3";
import { useNitroApp } from "../app/context.js";
import { LOCAL_ORIGIN, networkFetch } from "./local-fetch.js";

/**
 * Serves a request with the current app, in-process: no socket, no network.
 *
 * The app is the one serving the current request (or running the current plugin,
 * hook or task), else the only app created; with several apps and no request it
 * rejects, as `useNitroApp()` throws. A path (`"/api/x"`) is served as is, without
 * the app's `baseURL` added (as in Nitro); an absolute URL or a `Request` is served
 * by the app too, whatever its host. `context` seeds the request's `event.context`.
 *
 * @returns the app's `Response`, with its body unread (return it from a handler to pass it on).
 * @example
 * import { serverFetch } from "nitrokit";
 * const res = await serverFetch("/api/hello");
 * console.log(res.status, await res.json());
 */
export function serverFetch(input: string | URL | Request, init?: RequestInit, context?: H3EventContext): Promise<Response> {
  try {
    return useNitroApp().fetch(toAppRequest(input, init, "serverFetch"), context);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Nitro's `fetch`: a path starting with `/` is served in-process by the current app
 * (see {@link serverFetch}); anything else (an absolute URL, a `URL`, a `Request`)
 * goes to the network through the platform's `fetch`.
 *
 * @example
 * import { fetch } from "nitrokit";
 * const local = await fetch("/api/hello"); // in-process
 * const remote = await fetch("https://example.com/"); // network
 */
export function fetch(input: string | URL | Request, init?: RequestInit, context?: H3EventContext): Promise<Response> {
  if (typeof input === "string" && input.charCodeAt(0) === 47 /* "/" */) return serverFetch(input, init, context);
  if (typeof input !== "string" && !(input instanceof URL) && !(input instanceof Request)) {
    return Promise.reject(invalidInput("fetch", input));
  }
  return networkFetch(input, init);
}

function toAppRequest(input: string | URL | Request, init: RequestInit | undefined, caller: string): Request {
  if (typeof input === "string") {
    // Concatenated, not resolved: "//x" stays a path here, it never becomes the host "x".
    if (input.charCodeAt(0) === 47) return new Request(LOCAL_ORIGIN + input, init);
    if (URL.canParse(input)) return new Request(input, init);
    throw invalidInput(caller, input);
  }
  if (input instanceof URL) return new Request(input, init);
  if (input instanceof Request) return init ? new Request(input, init) : input;
  throw invalidInput(caller, input);
}

function invalidInput(caller: string, input: unknown): TypeError {
  const got = typeof input === "string" ? JSON.stringify(input) : input === null ? "null" : typeof input;
  return new TypeError(`[nitrokit] ${caller}() expects a path starting with "/" ("/api/hello"), an absolute URL or a Request; got ${got}.`);
}
