import { boolean, literal, object, oneOf, optionalKeys, record, string, union, unknown } from "../config/check.js";

/** Nitro's `openAPI` options, as nitrokit reads them. */
export interface NitroOpenAPIConfig {
  /** Where the OpenAPI 3.1 document is served. @default "/_openapi.json" */
  route?: string;
  /** The document's `info`. */
  meta?: { title?: string; description?: string; version?: string };
  /**
   * Nitro serves the document only in development unless this is `"runtime"` or `"prerender"`.
   * nitrokit serves it whenever `openAPI` is on, except with `production: false`, which limits it to `dev: true`.
   */
  production?: false | "runtime" | "prerender";
  ui?: {
    /**
     * The API reference page (Swagger UI from the optional package `swagger-ui-dist`, served from
     * node_modules). `false` turns it off. @default { route: "/_swagger" }
     */
    swagger?: false | { route?: string };
    /** Nitro's Scalar page: not served by nitrokit (use `swagger`). */
    scalar?: false | Record<string, unknown>;
  };
}

/** The `openAPI` options with their defaults, when the feature is on. */
export interface ResolvedOpenAPIConfig {
  route: string;
  info: { title: string; version: string; description?: string };
  /** The reference page's route, or `undefined` when it is off. */
  uiRoute: string | undefined;
}

const routePath = string().refine((value: string) => value.startsWith("/"), "must start with '/'");

/** The check of `openAPI`, part of the config check. */
export const openAPIConfigCheck = union(
  [
    boolean(),
    object(
      optionalKeys({
        route: routePath,
        meta: object(optionalKeys({ title: string(), description: string(), version: string() })),
        production: union([literal(false), oneOf(["runtime", "prerender"])]),
        ui: object(
          optionalKeys({
            swagger: union([literal(false), object(optionalKeys({ route: routePath }))]),
            scalar: union([literal(false), record(unknown())]),
          }),
        ),
      }),
    ),
  ],
  "expected true, false or an object { route, meta, ui }",
);

/**
 * Whether the OpenAPI routes are served and with what: on with `openAPI: true`, an
 * `openAPI` object, or Nitro's `experimental.openAPI: true`; off by default.
 */
export function resolveOpenAPIConfig(
  config: { openAPI?: boolean | NitroOpenAPIConfig; dev?: boolean; experimental?: { openAPI?: boolean } },
  warn: (message: string) => void = console.warn,
): ResolvedOpenAPIConfig | undefined {
  const option = config.openAPI ?? (config.experimental?.openAPI ? {} : false);
  if (option === false) return undefined;
  const options: NitroOpenAPIConfig = option === true ? {} : option;
  if (options.production === false && !config.dev) return undefined;
  if (options.ui?.scalar) warn("[nitrokit] openAPI.ui.scalar is not served by nitrokit; the API reference page is Swagger UI (openAPI.ui.swagger).");
  const swagger = options.ui?.swagger;
  return {
    route: options.route ?? "/_openapi.json",
    info: {
      title: options.meta?.title ?? "API",
      version: options.meta?.version ?? "1.0.0",
      ...(options.meta?.description ? { description: options.meta.description } : {}),
    },
    uiRoute: swagger === false ? undefined : (swagger?.route ?? "/_swagger"),
  };
}
