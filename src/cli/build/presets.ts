/** The targets `nitrokit build --preset` knows. */
export const PRESETS = ["node", "bun", "deno", "workers", "aws-lambda"] as const;
export type Preset = (typeof PRESETS)[number];

/** Presets whose output runs on Node (or a Node-compatible runtime) and gets `node_modules` traced beside it. */
export const usesNodeModules = (preset: Preset) => preset !== "workers";

/**
 * Finds the app in the user's module namespace as `nitrokit serve` does: the default
 * export or a named `app`, each an app, a promise of one or a factory `(context) => app`.
 */
const FIND_APP = `
async function findApp(mod) {
  for (const name of ["default", "app"]) {
    let value = mod[name];
    if (value === undefined) continue;
    if (typeof value === "function") value = value({ dev: false });
    value = await value;
    if (value && typeof value.fetch === "function" && typeof value.ready === "function") return value;
  }
  throw new Error("[nitrokit] The entry does not export an app (default export or 'app').");
}`;

/**
 * Serves `<output>/public` (prerendered pages) before the app's routes, through h3's
 * `serveStatic`: GET/HEAD only, `index.html` for directories, nothing outside the folder,
 * and a miss falls through to the app.
 */
const PUBLIC_FILES = `
import { serveStatic as __serveStatic } from "nitrokit/h3";
import { readFile as __readFile, stat as __stat } from "node:fs/promises";
import { fileURLToPath as __toPath } from "node:url";
import { join as __join, sep as __sep } from "node:path";
const __publicDir = __toPath(new URL("../public", import.meta.url));
const __publicFile = (id) => { const file = __join(__publicDir, id); return file.startsWith(__publicDir + __sep) ? file : undefined; };
app.use((event) => {
  if (event.req.method !== "GET" && event.req.method !== "HEAD") return;
  return __serveStatic(event, {
    fallthrough: true,
    indexNames: ["/index.html"],
    getContents: (id) => { const file = __publicFile(id); return file && __readFile(file); },
    getMeta: async (id) => { const file = __publicFile(id); const info = file && (await __stat(file).catch(() => undefined)); return info?.isFile() ? { size: info.size, mtime: info.mtime } : undefined; },
  });
});
`;

/**
 * The module the bundle starts from, per preset: import the user's app, then serve or
 * export it the platform's way. `assetsDir` is where server assets were copied, relative
 * to the bundle, or undefined when there are none.
 */
export function presetEntry(preset: Preset, entryPath: string, options: { hasAssets: boolean; hasPublic: boolean }): string {
  const assets = options.hasAssets ? `globalThis.__nitrokitServerAssetsDir = new URL("./assets", import.meta.url).pathname.replace(/\\/$/, "");\n` : "";
  const servesPublic = options.hasPublic && (preset === "node" || preset === "bun" || preset === "deno");
  const head = `${assets}import * as userModule from ${JSON.stringify(entryPath)};\n${FIND_APP}\nconst app = await findApp(userModule);\n${servesPublic ? PUBLIC_FILES : ""}`;
  switch (preset) {
    case "node":
      // NITRO_CLUSTER_WORKERS (Nitro's node-cluster preset): worker processes behind the port; the primary readies no app.
      return `${head}import { serve } from "nitrokit/node";
const workers = process.env.NITRO_CLUSTER_WORKERS ? "auto" : undefined;
if (!workers || process.getBuiltinModule("node:cluster").isWorker) await app.ready();
const server = serve(app, { port: process.env.PORT ?? process.env.NITRO_PORT ?? 3000, hostname: process.env.HOST ?? process.env.NITRO_HOST, workers });
await server.ready();
`;
    case "bun":
      return `${head}import { serve } from "nitrokit/bun";
await app.ready();
serve(app, { port: process.env.PORT ?? 3000, hostname: process.env.HOST });
`;
    case "deno":
      return `${head}import { serve } from "nitrokit/deno";
await app.ready();
serve(app, { port: Number(Deno.env.get("PORT") ?? 3000), hostname: Deno.env.get("HOST") });
`;
    case "workers":
      return `${head}import { toWorker } from "nitrokit/workers";
export default toWorker(app);
`;
    case "aws-lambda":
      return `${head}import { toLambdaHandler } from "nitrokit/aws-lambda";
export const handler = toLambdaHandler(app);
`;
  }
}
