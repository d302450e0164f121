import { defineHandler, type EventHandler } from "h3";
import type { RouteRegistry } from "../app/route-registry.js";
import { RouteCatalog } from "./catalog.js";
import { resolveOpenAPIConfig, type NitroOpenAPIConfig, type ResolvedOpenAPIConfig } from "./config.js";
import { createOpenAPIDocument, type OpenAPIDocument } from "./document.js";
import {
  SWAGGER_UI_ASSETS,
  SWAGGER_UI_MISSING,
  locateSwaggerUI,
  readSwaggerUIAsset,
  swaggerUIInitializer,
  swaggerUIPage,
} from "./swagger-ui.js";

/** A GET route the OpenAPI feature adds to the app. */
export interface OpenAPIRoute {
  path: string;
  handler: EventHandler;
}

/**
 * The OpenAPI feature for an app's config: `undefined` when it is off, else the routes that
 * serve the document (described from the app's route registry) and the reference page.
 */
export function setUpOpenAPI(
  config: { openAPI?: boolean | NitroOpenAPIConfig; dev?: boolean; experimental?: { openAPI?: boolean } },
  registry: RouteRegistry,
  baseURL: string,
): OpenAPIRoute[] | undefined {
  const resolved = resolveOpenAPIConfig(config);
  if (!resolved) return undefined;
  return openAPIRoutes(resolved, new RouteCatalog(registry, baseURL), baseURL);
}

/** Kept out of the document they serve. */
const HIDDEN = { openAPI: false } as const;

/**
 * The routes that serve the OpenAPI document (built from `catalog` when asked for, after
 * importing the route modules that declare their meta, and again only after routes were added) and, unless turned off, the API reference page
 * with its assets. Warns once when the page's package is not installed.
 */
export function openAPIRoutes(
  config: ResolvedOpenAPIConfig,
  catalog: RouteCatalog,
  baseURL: string,
  warn: (message: string) => void = console.warn,
): OpenAPIRoute[] {
  let cached: { version: number; document: OpenAPIDocument } | undefined;
  const routes: OpenAPIRoute[] = [
    {
      path: config.route,
      handler: defineHandler({
        meta: HIDDEN,
        handler: async () => {
          await catalog.loadDeclaredMeta(warn);
          if (cached?.version !== catalog.version) {
            cached = { version: catalog.version, document: createOpenAPIDocument(catalog.routes(), { info: config.info, baseURL }) };
          }
          return cached.document;
        },
      }),
    },
  ];
  if (config.uiRoute === undefined) return routes;
  if (!locateSwaggerUI()) warn(SWAGGER_UI_MISSING);
  const assetsBase = `${baseURL}${config.uiRoute.replace(/\/$/, "")}`;
  const page = swaggerUIPage({ title: config.info.title, assetsBase });
  const initializer = swaggerUIInitializer(`${baseURL}${config.route}`);
  routes.push(
    {
      path: config.uiRoute,
      handler: defineHandler({
        meta: HIDDEN,
        handler: async () => {
          // Fail here, with the install hint, rather than serve a page whose script 500s.
          await readSwaggerUIAsset("swagger-ui-bundle.js");
          return new Response(page, { headers: { "content-type": "text/html; charset=utf-8" } });
        },
      }),
    },
    {
      path: `${config.uiRoute.replace(/\/$/, "")}/swagger-initializer.js`,
      handler: defineHandler({
        meta: HIDDEN,
        handler: () => new Response(initializer, { headers: { "content-type": "text/javascript; charset=utf-8" } }),
      }),
    },
    ...Object.entries(SWAGGER_UI_ASSETS).map(([file, type]) => ({
      path: `${config.uiRoute!.replace(/\/$/, "")}/${file}`,
      handler: defineHandler({
        meta: HIDDEN,
        handler: async () =>
          new Response((await readSwaggerUIAsset(file)) as BodyInit, {
            headers: { "content-type": type, "cache-control": "public, max-age=86400" },
          }),
      }),
    })),
  );
  return routes;
}
