import { defineHandler, type EventHandlerWithFetch, type H3Event } from "h3";
import type { RouteHandlerInput } from "../types/app.js";
import type { DefinitionEndpoint, RouteEndpoint, RouteValidation, TypedRouteDefinition, TypedRouteMeta } from "./route-types.js";
import { isStandardSchema, type StandardSchemaV1 } from "./schema.js";
import { checkResponse, readValidatedInput } from "./validation.js";

/**
 * An h3 handler that validates its input, carrying its schemas (for the OpenAPI
 * document) and, in its type only, the endpoint clients see.
 */
export type TypedHandler<Endpoint extends RouteEndpoint = RouteEndpoint> = EventHandlerWithFetch & {
  readonly validate?: RouteValidation;
  readonly meta?: TypedRouteMeta;
  /** Types only: what `$fetch` and `createClient` read. */
  readonly "~endpoint"?: Endpoint;
};

const SCHEMA_KEYS = ["params", "query", "body", "response"] as const;

/**
 * Defines a handler whose params, query and body are checked with schemas (zod 4 or
 * any Standard Schema) before it runs. Bad input is answered with `400` and a JSON
 * body listing every issue (`data.issues: [{ source, path, message }]`); the
 * handler receives the parsed, typed values. A `response` schema checks (and
 * types) what the handler returns.
 *
 * `app.get(path, { validate, handler })` does the same inline; this helper is for
 * handlers kept in their own module.
 *
 * @example
 * import { z } from "zod";
 * export const createUser = defineTypedHandler({
 *   validate: { body: z.object({ name: z.string().min(1) }) },
 *   handler: (event, { body }) => ({ id: crypto.randomUUID(), name: body.name }),
 * });
 * app.post("/api/users", createUser);
 */
export function defineTypedHandler<
  Params extends StandardSchemaV1 | undefined = undefined,
  Query extends StandardSchemaV1 | undefined = undefined,
  Body extends StandardSchemaV1 | undefined = undefined,
  Response extends StandardSchemaV1 | undefined = undefined,
  Result = unknown,
>(
  definition: TypedRouteDefinition<Params, Query, Body, Response, Result>,
): TypedHandler<DefinitionEndpoint<Query, Body, Response, Result>> {
  if (typeof definition?.handler !== "function") throw new TypeError("[nitrokit] A typed route needs `handler: (event, input) => …`.");
  const validate: RouteValidation = definition.validate ?? {};
  for (const [key, schema] of Object.entries(validate)) {
    if (!(SCHEMA_KEYS as readonly string[]).includes(key)) {
      throw new TypeError(`[nitrokit] Unknown key validate.${key}: expected ${SCHEMA_KEYS.join(", ")}.`);
    }
    if (schema !== undefined && !isStandardSchema(schema)) {
      throw new TypeError(`[nitrokit] validate.${key} must be a zod schema (or another Standard Schema).`);
    }
  }
  const handler = definition.handler as (event: H3Event, input: unknown) => unknown;
  const response = validate.response;
  const run = async (event: H3Event) => {
    const result = await handler(event, await readValidatedInput(event, validate));
    return response ? checkResponse(response, result, `${event.req.method} ${event.url.pathname}`) : result;
  };
  return defineHandler({ ...definition, validate, handler: run } as Parameters<typeof defineHandler>[0]) as TypedHandler<
    DefinitionEndpoint<Query, Body, Response, Result>
  >;
}

/** What a registration method accepts: a handler, or a validated route `{ validate?, handler }`. */
export type RouteInput = RouteHandlerInput | TypedRouteDefinition<never, never, never, never, unknown>;

/**
 * What registration takes at run time: any handler or any route definition. `NitroApp`'s typed
 * overloads narrow it for callers; the app class accepts every shape they allow.
 */
export type AnyRouteInput = RouteInput | { handler: (...args: never[]) => unknown; validate?: unknown; meta?: unknown };

/** The handler to register for `input`: the object form becomes a typed handler, anything else is left to h3. */
export function toRouteHandler(input: AnyRouteInput): RouteHandlerInput {
  const isDefinition = typeof input === "object" && input !== null && typeof (input as { handler?: unknown }).handler === "function" && !("fetch" in input);
  return isDefinition ? defineTypedHandler(input as TypedRouteDefinition<undefined, undefined, undefined, undefined, unknown>) : (input as RouteHandlerInput);
}
