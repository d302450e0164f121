import type { NitroApp } from "../../types/app.js";
import type { PrerenderedRoute, PrerenderOptions } from "./prerender.js";

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
  // The renderer (and node:fs/promises) loads when it is used, not with nitrokit/node.
  const { prerender: render } = await import("./prerender.js");
  return render(app, options);
}
