import { HTTPError } from "h3";
import { builtinModule } from "../platform/builtin-module.js";

/** The maintained package the API reference page comes from (an optional peer dependency). */
export const SWAGGER_UI_PACKAGE = "swagger-ui-dist";

/** Said when the page is asked for (and logged at start-up) while the package is missing. */
export const SWAGGER_UI_MISSING =
  `[nitrokit] The API reference page needs the optional package '${SWAGGER_UI_PACKAGE}': ` +
  `npm install ${SWAGGER_UI_PACKAGE} (or turn the page off with openAPI.ui.swagger: false).`;

/** The files of the package the page loads, with their content types. */
export const SWAGGER_UI_ASSETS: Readonly<Record<string, string>> = {
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui.css": "text/css; charset=utf-8",
};

interface NodeModule {
  createRequire(from: string): { resolve(id: string): string };
}
interface NodeFs {
  promises: { readFile(path: string): Promise<Uint8Array> };
}

/** The folder swagger-ui-dist is installed in, resolved from nitrokit's own location; `undefined` when it is not. */
export function locateSwaggerUI(): string | undefined {
  const module = builtinModule<NodeModule>("node:module");
  if (!module) return undefined;
  try {
    const manifest = module.createRequire(import.meta.url).resolve(`${SWAGGER_UI_PACKAGE}/package.json`);
    return manifest.slice(0, manifest.length - "/package.json".length);
  } catch {
    return undefined;
  }
}

const loaded = new Map<string, Promise<Uint8Array>>();

/** One of the package's files, read once per process (they never change while it runs). */
export function readSwaggerUIAsset(file: string): Promise<Uint8Array> {
  let pending = loaded.get(file);
  if (!pending) {
    const folder = locateSwaggerUI();
    const fs = builtinModule<NodeFs>("node:fs");
    if (!folder || !fs) return Promise.reject(new HTTPError({ status: 500, message: SWAGGER_UI_MISSING }));
    pending = fs.promises.readFile(`${folder}/${file}`);
    pending.catch(() => loaded.delete(file));
    loaded.set(file, pending);
  }
  return pending;
}

/** The page itself: Swagger UI from `assetsBase`, started by the initializer served beside it. */
export function swaggerUIPage(options: { title: string; assetsBase: string }): string {
  const title = options.title.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="${options.assetsBase}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${options.assetsBase}/swagger-ui-bundle.js"></script>
<script src="${options.assetsBase}/swagger-initializer.js"></script>
</body>
</html>
`;
}

/** The script that starts Swagger UI (a file of its own, so the page needs no inline script). */
export function swaggerUIInitializer(documentURL: string): string {
  return `window.ui = SwaggerUIBundle({ url: ${JSON.stringify(documentURL)}, dom_id: "#swagger-ui", deepLinking: true });\n`;
}
