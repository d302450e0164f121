import { HTTPError, requestWithBaseURL, type EventHandler } from "h3";
import { staticMiddleware, type StaticMiddlewareOptions } from "srvx/static";

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
  const serve = staticMiddleware({ ...staticOptions, dir });
  const prefix = base && base !== "/" ? base.replace(/\/+$/, "") : "";
  return (event) => {
    const request = prefix ? requestWithBaseURL(event.req, prefix, { url: event.url }) : event.req;
    return serve(request, () => {
      throw new HTTPError({ status: 404, message: `No file for ${event.url.pathname}` });
    });
  };
}
