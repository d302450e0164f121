import type { RouteValidation, TypedRouteMeta } from "../typed/route-types.js";
import { isStandardSchema, type StandardSchemaV1 } from "../typed/schema.js";
import type { CatalogRoute } from "./catalog.js";
import type { NitroRouteMeta } from "./route-meta.js";
import { SchemaCollector, type JSONSchema } from "./json-schema.js";

/** An OpenAPI 3.1 document, as plain data. */
export interface OpenAPIDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description?: string };
  servers?: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JSONSchema>; [kind: string]: Record<string, unknown> };
}

type Operation = Record<string, unknown>;
interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  schema: JSONSchema;
  description?: string;
}

/** What `app.all()` routes are listed under: they answer every method, these are the ones worth documenting. */
const ALL_METHODS = ["get", "post", "put", "patch", "delete"];

/** The body of every 400 a validated route answers (see `readValidatedInput`). */
const VALIDATION_ERROR: JSONSchema = {
  type: "object",
  properties: {
    error: { type: "boolean", const: true },
    status: { type: "integer", const: 400 },
    statusText: { type: "string" },
    message: { type: "string" },
    data: {
      type: "object",
      properties: {
        issues: {
          type: "array",
          items: {
            type: "object",
            properties: {
              source: { type: "string", enum: ["params", "query", "body"] },
              path: { type: "array", items: { type: ["string", "integer"] } },
              message: { type: "string" },
            },
            required: ["source", "path", "message"],
          },
        },
      },
      required: ["issues"],
    },
  },
  required: ["error", "status", "message", "data"],
};

/**
 * Describes the registered routes as an OpenAPI 3.1 document: paths and methods from
 * the registrations, parameters, request bodies and responses from the schemas of
 * validated routes (typed handlers and h3's `defineValidatedHandler`), and whatever
 * a route's `meta.openAPI` adds (the handler's meta, then the route's: given at
 * registration or declared with `defineRouteMeta`), its `$global.components` hoisted
 * into the document's `components`. Routes with `meta.openAPI: false` are left out.
 */
export function createOpenAPIDocument(
  routes: readonly CatalogRoute[],
  options: { info: OpenAPIDocument["info"]; baseURL?: string },
): OpenAPIDocument {
  const schemas = new SchemaCollector({ ValidationError: VALIDATION_ERROR });
  const paths: OpenAPIDocument["paths"] = {};
  const hoisted: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const meta = openAPIMeta(route);
    if (meta === false) continue;
    const { $global, ...operation } = meta ?? {};
    for (const [kind, entries] of Object.entries($global?.components ?? {})) Object.assign((hoisted[kind] ??= {}), entries);
    const { path, params } = toOpenAPIPath(route.path);
    const item = (paths[path] ??= {});
    for (const method of route.method ? [route.method] : ALL_METHODS) {
      const described = describeOperation(route, params, schemas);
      item[method] = { ...described, ...operation, ...mergedParameters(described.parameters, operation.parameters) };
    }
  }
  return {
    openapi: "3.1.0",
    info: options.info,
    ...(options.baseURL ? { servers: [{ url: options.baseURL }] } : {}),
    paths,
    components: { ...hoisted, schemas: { ...(hoisted.schemas as Record<string, JSONSchema> | undefined), ...schemas.components } },
  };
}

type OpenAPIMeta = NonNullable<NitroRouteMeta["openAPI"]>;

/** The route's `openAPI` meta: the handler's, overridden field by field by the route's; `false` hides the route. */
function openAPIMeta(route: CatalogRoute): OpenAPIMeta | false | undefined {
  const fromHandler = (route.handler as { meta?: TypedRouteMeta } | undefined)?.meta?.openAPI;
  const fromRoute = (route.meta as TypedRouteMeta | undefined)?.openAPI;
  if (fromHandler === false || fromRoute === false) return false;
  return fromHandler || fromRoute ? ({ ...fromHandler, ...fromRoute } as OpenAPIMeta) : undefined;
}

/**
 * The inferred parameters with the meta's added, as in Nitro: declaring `include` in
 * `parameters` keeps the path's `{id}`; one with the same `in` and `name` replaces it.
 */
function mergedParameters(inferred: unknown, declared: unknown): { parameters?: unknown[] } {
  if (!Array.isArray(declared)) return {};
  const merged = Array.isArray(inferred) ? [...(inferred as Array<{ in?: unknown; name?: unknown }>)] : [];
  for (const parameter of declared as Array<{ in?: unknown; name?: unknown }>) {
    const index = merged.findIndex((existing) => existing.in === parameter?.in && existing.name === parameter?.name);
    if (index === -1) merged.push(parameter);
    else merged[index] = parameter;
  }
  return { parameters: merged };
}

/** `/users/:id/**:rest` → `/users/{id}/{rest}`, with the param names in order. */
export function toOpenAPIPath(pattern: string): { path: string; params: string[] } {
  const params: string[] = [];
  let unnamed = 0;
  const path = pattern.replace(/(\*\*:[\w-]+|:[\w-]+|\*\*|\*)/g, (segment) => {
    const name = segment.startsWith("**:") ? segment.slice(3) : segment.startsWith(":") ? segment.slice(1) : segment === "**" ? "_" : `_${unnamed++}`;
    params.push(name);
    return `{${name}}`;
  });
  return { path, params };
}

function describeOperation(route: CatalogRoute, pathParams: string[], schemas: SchemaCollector): Operation {
  // Names components for recursive schemas: PUT /api/categories body → PutApiCategoriesBody.
  const nameFor = (part: string) =>
    [route.method || "all", ...route.path.split(/[^A-Za-z0-9]+/), part].filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
  const validate = ((route.handler as { validate?: RouteValidation & { headers?: unknown } } | undefined)?.validate ?? {}) as Record<string, unknown>;
  const schemaOf = (key: string) => (isStandardSchema(validate[key]) ? (validate[key] as StandardSchemaV1) : undefined);
  const paramsSchema = schemaOf("params") && schemas.convert(schemaOf("params")!, "input", nameFor("params"));
  const parameters: Parameter[] = pathParams.map((name) => ({
    name,
    in: "path",
    required: true,
    schema: (propertiesOf(paramsSchema)[name] as JSONSchema | undefined) ?? { type: "string" },
  }));
  for (const [key, location] of [["query", "query"], ["headers", "header"]] as const) {
    const schema = schemaOf(key);
    if (schema) parameters.push(...objectParameters(schemas.convert(schema, "input", nameFor(key)), location));
  }
  const body = schemaOf("body");
  const response = schemaOf("response");
  const validated = ["params", "query", "body", "headers"].some((key) => schemaOf(key));
  return {
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body ? { requestBody: { required: true, content: { "application/json": { schema: schemas.convert(body, "input", nameFor("body")) } } } } : {}),
    responses: {
      "200": response
        ? { description: "Success", content: { "application/json": { schema: schemas.convert(response, "output", nameFor("response")) } } }
        : { description: "Success" },
      ...(validated
        ? { "400": { description: "Invalid input", content: { "application/json": { schema: { $ref: "#/components/schemas/ValidationError" } } } } }
        : {}),
    },
  };
}

function propertiesOf(schema: JSONSchema | undefined): Record<string, unknown> {
  return (schema?.properties as Record<string, unknown> | undefined) ?? {};
}

/** An object schema's properties as query or header parameters (other shapes cannot be spelled as parameters). */
function objectParameters(schema: JSONSchema, location: "query" | "header"): Parameter[] {
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(propertiesOf(schema)).map(([name, property]) => {
    const description = (property as { description?: unknown }).description;
    return {
      name,
      in: location,
      required: required.has(name),
      schema: property as JSONSchema,
      ...(typeof description === "string" ? { description } : {}),
    };
  });
}
