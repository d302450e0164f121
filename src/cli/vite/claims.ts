import { existsSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import { addRoute, createRouter, findRoute } from "rou3";
import type { NitroApp } from "../../types/app.js";

/**
 * Which requests of Vite's dev server go to the app. Three moments decide:
 *
 * - before Vite's own middleware ({@link RequestClaims.claimsFirst}): `exclude` never, Vite's
 *   internal URLs never, `/api/**` (under Vite's `base`) and `paths` always, and any path one of
 *   the app's routes matches;
 * - after Vite's static files and module transforms ({@link RequestClaims.claimsLeftover}):
 *   whatever Vite did not serve, except the HTML pages it is about to serve;
 * - WebSocket upgrades ({@link RequestClaims.claimsUpgrade}): not Vite's HMR socket, and only
 *   paths the app claims up front (an unclaimed upgrade is left for Vite's proxy).
 */
export class RequestClaims {
  readonly #root: string;
  readonly #base: string;
  readonly #include: PathPatterns;
  readonly #exclude: PathPatterns;

  constructor(options: { root: string; base: string; paths: readonly string[]; exclude: readonly string[] }) {
    this.#root = options.root;
    this.#base = options.base.endsWith("/") ? options.base : `${options.base}/`;
    // `/api`, and `/api` under Vite's `base` (`/app/` → `/app/api/**`) for an app whose `baseURL` follows it.
    const apis = [...new Set(["/api", `${this.#base}api`])];
    this.#include = new PathPatterns([...apis.flatMap((api) => [api, `${api}/**`]), ...options.paths]);
    this.#exclude = new PathPatterns(options.exclude);
  }

  /** Whether the request goes to the app before Vite looks at it. */
  claimsFirst(req: IncomingMessage, app: NitroApp | undefined): boolean {
    const path = pathnameOf(req.url);
    if (this.#exclude.matches(path) || isViteInternal(req.url ?? "/", this.#base)) return false;
    if (this.#include.matches(path)) return true;
    return app !== undefined && appRoutesMatch(app, path);
  }

  /** Whether a request Vite's static files and transforms did not serve goes to the app. */
  claimsLeftover(req: IncomingMessage): boolean {
    const path = pathnameOf(req.url);
    if (this.#exclude.matches(path)) return false;
    // Vite's HTML fallback rewrote a page navigation to an `.html` file it is about to serve
    // (its base middleware has taken `base` off by now).
    if (path.endsWith(".html") && existsSync(join(this.#root, safeDecode(path)))) return false;
    return true;
  }

  /** Whether an `upgrade` request is the app's (never Vite's HMR or ping socket). */
  claimsUpgrade(req: IncomingMessage, app: NitroApp | undefined): boolean {
    const protocol = req.headers["sec-websocket-protocol"] ?? "";
    if (/(^|,\s*)vite-(hmr|ping)\b/.test(protocol)) return false;
    return this.claimsFirst(req, app);
  }
}

/** Path patterns in rou3's syntax: `/health`, `/auth/**`, `/users/:id`, `/files/*`. */
class PathPatterns {
  readonly #router = createRouter<true>();
  readonly #empty: boolean;

  constructor(patterns: readonly string[]) {
    for (const pattern of patterns) {
      if (!pattern.startsWith("/")) throw new TypeError(`[nitrokit/vite] Path pattern '${pattern}' must start with '/' (e.g. '/auth/**').`);
      addRoute(this.#router, "", pattern, true);
    }
    this.#empty = patterns.length === 0;
  }

  matches(path: string): boolean {
    return !this.#empty && findRoute(this.#router, "", path) !== undefined;
  }
}

/** Vite's own URLs: its client, pre-bundled and served-by-id modules, and module requests. */
function isViteInternal(url: string, base: string): boolean {
  const path = url.startsWith(base) ? url.slice(base.length - 1) : url;
  return /^\/(@vite|@id|@fs|@react-refresh|__vite|node_modules)\b/.test(path) || /[?&](import|html-proxy|raw|url|worker|inline)\b/.test(url);
}

/**
 * Whether one of the app's routes (not its server-entry catch-all, which would take every
 * page from Vite) matches `path`. The lead's refactor moves the route table; this is the one
 * place that reads it.
 */
function appRoutesMatch(app: NitroApp, path: string): boolean {
  return app["~registry"].methodsFor(path) !== undefined;
}

function pathnameOf(url: string | undefined): string {
  if (!url) return "/";
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
