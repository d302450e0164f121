import { resolve } from "node:path";
import { Readable } from "node:stream";
import { HTTPError, requestWithBaseURL, type EventHandler } from "h3";
import { FastResponse } from "srvx";
import type { StaticMiddlewareOptions } from "srvx/static";

/** Options of {@link serveStatic}: srvx's static options, plus the URL prefix the files live under. */
export interface ServeStaticOptions extends Omit<StaticMiddlewareOptions, "dir"> {
  /** URL prefix to strip before looking up a file (`/assets` serves `/assets/app.js` from `<dir>/app.js`). */
  base?: string;
}

/**
 * Serves files from a directory, as a route handler. Register it on a wildcard route:
 * it runs after global middleware and route rules (so a rule's `headers` such as
 * `Cache-Control` apply), and more specific routes still win over it.
 *
 * srvx's static server does the work: content types, `ETag`/`Last-Modified` with 304,
 * ranges, compression, `maxAge`/`immutable`, dotfiles hidden (except `.well-known`), and
 * every file resolved with `realpath` inside the directory, so `..`, encoded separators,
 * NUL bytes and symlinks pointing out of it never serve anything. A miss is a 404.
 *
 * @example
 * import { serveStatic } from "nitrokit/node";
 * app.get("/assets/**", serveStatic("./public/assets", { base: "/assets", maxAge: 31536000, immutable: true }));
 * app.get("/**", serveStatic("./public")); // everything no other route claims
 */
export function serveStatic(dir: string, options: ServeStaticOptions = {}): EventHandler {
  const { base, ...staticOptions } = options;
  // The directory is fixed now (against the current working directory); srvx's static server
  // (with node:zlib and node:fs) is imported on the first request, not when the app starts.
  const staticDir = resolve(dir);
  type Serve = ReturnType<typeof import("srvx/static").staticMiddleware>;
  let serve: Serve | undefined;
  let loading: Promise<Serve> | undefined;
  const load = () => (loading ??= import("srvx/static").then(({ staticMiddleware }) => (serve = staticMiddleware({ ...staticOptions, dir: staticDir }))));
  const prefix = base && base !== "/" ? base.replace(/\/+$/, "") : "";
  const answer = (serveFile: Serve, event: Parameters<EventHandler>[0]) => {
    const request = prefix ? requestWithBaseURL(event.req, prefix, { url: event.url }) : event.req;
    const response = serveFile(request, () => {
      throw new HTTPError({ status: 404, message: `No file for ${event.url.pathname}` });
    });
    return response instanceof Promise ? response.then(withWebStreamBody) : withWebStreamBody(response);
  };
  return (event) => (serve ? answer(serve, event) : load().then((loaded) => answer(loaded, event)));
}

type NodeBodiedResponse = Response & {
  _toNodeResponse?: () => { status: number; statusText: string; headers: string[]; body: unknown };
};

/**
 * srvx answers with a file's Node stream as the body. As soon as anything reads
 * `response.body` (h3 does, to add a route rule's headers), undici wraps that stream
 * in a byte stream whose final close races a cancel from a client that hung up, and
 * on Node 20 the loser throws from a microtask: an uncaught exception that ends the
 * process. A web stream made by Node's own adapter closes and cancels safely.
 */
function withWebStreamBody(response: Response): Response {
  const toNode = (response as NodeBodiedResponse)._toNodeResponse;
  if (typeof toNode !== "function") return response;
  const { status, statusText, headers, body } = toNode.call(response);
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < headers.length; i += 2) pairs.push([headers[i]!, headers[i + 1]!]);
  const webBody = body instanceof Readable ? (Readable.toWeb(body) as ReadableStream<Uint8Array>) : (body as BodyInit | null);
  return new FastResponse(webBody, { status, statusText, headers: pairs });
}
