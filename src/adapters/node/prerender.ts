import { mkdir, writeFile } from "node:fs/promises";
import { dirname, extname, join, resolve, sep } from "node:path";
import type { NitroApp } from "../../types/app.js";

/** Options of {@link prerender}. */
export interface PrerenderOptions {
  /** Directory the files are written to (created if missing). */
  outDir: string;
  /** Routes to render, on top of those whose route rules say `prerender: true` or `static: true`. */
  routes?: string[];
  /** Follow same-site links (`href="/…"`) found in rendered HTML. Default `false`. */
  crawlLinks?: boolean;
  /** Throw after rendering when a route answered with a non-2xx status. Default `true`. */
  failOnError?: boolean;
  /** Where the progress line of each route goes. Default `console.log`; `false` for none. */
  log?: ((line: string) => void) | false;
}

/** What happened to one route. */
export interface PrerenderedRoute {
  route: string;
  status: number;
  /** The file written, relative to `outDir` (only for 2xx answers). */
  file?: string;
  /** Why nothing was written. */
  error?: string;
}

/**
 * Renders routes to files through `app.fetch`, in-process (no server, no port):
 * the routes given, those whose route rules say `prerender: true` or `static: true`,
 * and with `crawlLinks` every same-site link found on the way. HTML goes to
 * `<route>/index.html`, other types get an extension from their content type.
 *
 * @example
 * import { prerender } from "nitrokit/node";
 * const report = await prerender(app, { outDir: ".output/public", routes: ["/"], crawlLinks: true });
 */
export async function prerender(app: NitroApp, options: PrerenderOptions): Promise<PrerenderedRoute[]> {
  await app.ready();
  const outDir = resolve(options.outDir);
  const log = options.log === false ? () => {} : (options.log ?? console.log);
  const queue = [...new Set([...(options.routes ?? []), ...ruleRoutes(app)])];
  const seen = new Set(queue);
  const report: PrerenderedRoute[] = [];

  for (let i = 0; i < queue.length; i++) {
    const route = queue[i]!;
    const result = await renderRoute(app, route, outDir);
    report.push(result.entry);
    log(`[nitrokit] prerender ${result.entry.status} ${route}${result.entry.file ? ` → ${result.entry.file}` : ` (${result.entry.error})`}`);
    if (options.crawlLinks && result.html) {
      for (const link of extractLinks(result.html, route)) {
        if (!seen.has(link)) {
          seen.add(link);
          queue.push(link);
        }
      }
    }
  }

  const failed = report.filter((entry) => entry.status < 200 || entry.status >= 300);
  if (failed.length > 0 && options.failOnError !== false) {
    throw new Error(`[nitrokit] prerender: ${failed.length} route(s) failed: ${failed.map((f) => `${f.route} (${f.status})`).join(", ")}`);
  }
  return report;
}

/** Exact patterns whose rules mark them for prerendering (wildcards and params cannot be enumerated). */
function ruleRoutes(app: NitroApp): string[] {
  return Object.keys(app.config.routeRules ?? {}).filter((pattern) => {
    if (pattern.includes("*") || pattern.includes(":")) return false;
    const rules = app.getRouteRules("", pattern).routeRules as { prerender?: boolean; static?: boolean };
    return rules.prerender === true || rules.static === true;
  });
}

async function renderRoute(app: NitroApp, route: string, outDir: string): Promise<{ entry: PrerenderedRoute; html?: string }> {
  let response: Response;
  try {
    response = await app["~serve"](new Request(new URL(route, "http://localhost"), { headers: { "x-nitro-prerender": route } }));
  } catch (error) {
    return { entry: { route, status: 500, error: error instanceof Error ? error.message : String(error) } };
  }
  if (response.status < 200 || response.status >= 300) {
    await response.body?.cancel();
    return { entry: { route, status: response.status, error: `answered ${response.status}` } };
  }
  const contentType = response.headers.get("content-type") ?? "";
  const file = fileFor(route, contentType);
  const target = resolve(outDir, file);
  if (!target.startsWith(outDir + sep)) return { entry: { route, status: 400, error: "path leaves outDir" } };
  const body = new Uint8Array(await response.arrayBuffer());
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, body);
  const html = contentType.includes("text/html") ? new TextDecoder().decode(body) : undefined;
  return { entry: { route, status: response.status, file }, html };
}

/** `/` → `index.html`, `/about` (HTML) → `about/index.html`, `/api/data` (JSON) → `api/data.json`. */
function fileFor(route: string, contentType: string): string {
  const path = decodeURIComponent(new URL(route, "http://localhost").pathname).replace(/^\/+/, "");
  if (extname(path)) return path;
  if (contentType.includes("text/html")) return join(path, "index.html");
  const extension = contentType.includes("json") ? ".json" : contentType.includes("xml") ? ".xml" : contentType.includes("text/plain") ? ".txt" : "";
  return (path || "index") + extension;
}

/** Same-site links in `html`, as paths without query or hash. */
function extractLinks(html: string, from: string): string[] {
  const links: string[] = [];
  for (const match of html.matchAll(/\shref\s*=\s*["']([^"'#?]+)[^"']*["']/gi)) {
    const url = new URL(match[1]!, new URL(from, "http://localhost"));
    if (url.origin === "http://localhost") links.push(url.pathname);
  }
  return links;
}
