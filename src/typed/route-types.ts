import type { H3Event, H3RouteMeta, Middleware } from "h3";
import type { InferInput, InferOutput, StandardSchemaV1 } from "./schema.js";
import type { PathParams } from "./path-types.js";

/**
 * What a route's type tells a client: what the handler returns (awaited, before
 * JSON serialisation) and the body and query it accepts. `unknown` means unchecked.
 */
export interface RouteEndpoint<Output = unknown, Body = unknown, Query = unknown> {
  output: Output;
  body: Body;
  query: Query;
}

/** Schemas a validated route checks its input with (any Standard Schema: zod 4, valibot, …). */
export interface RouteValidation<
  Params extends StandardSchemaV1 | undefined = StandardSchemaV1 | undefined,
  Query extends StandardSchemaV1 | undefined = StandardSchemaV1 | undefined,
  Body extends StandardSchemaV1 | undefined = StandardSchemaV1 | undefined,
  Response extends StandardSchemaV1 | undefined = StandardSchemaV1 | undefined,
> {
  /** The route params (`/users/:id` → `{ id }`, decoded). */
  params?: Params;
  /** The query string, as `{ key: "value" | ["a", "b"] }`. */
  query?: Query;
  /** The request body (JSON or form data, parsed by h3's `readBody`). */
  body?: Body;
  /** What the handler returns: checked before it is sent, and the type clients see. */
  response?: Response;
}

/** OpenAPI fields merged into the route's operation (`summary`, `tags`, `operationId`, …). */
export type RouteOpenAPIMeta = Record<string, unknown> & { summary?: string; description?: string; tags?: string[]; operationId?: string };

/** Route metadata; `openAPI` documents the route, `openAPI: false` hides it from the document. */
export interface TypedRouteMeta extends H3RouteMeta {
  readonly openAPI?: RouteOpenAPIMeta | false;
}

/** The parsed input a validated handler receives. */
export interface ValidatedInput<Params, Query, Body, Path extends string = string> {
  params: Params extends StandardSchemaV1 ? InferOutput<Params> : PathParams<Path>;
  query: Query extends StandardSchemaV1 ? InferOutput<Query> : Partial<Record<string, string | string[]>>;
  body: Body extends StandardSchemaV1 ? InferOutput<Body> : undefined;
}

type MaybePromise<T> = T | Promise<T>;

/**
 * A route with validated input: `validate` holds the schemas, `handler` gets the
 * event and the parsed `{ params, query, body }`.
 */
export interface TypedRouteDefinition<
  Params extends StandardSchemaV1 | undefined,
  Query extends StandardSchemaV1 | undefined,
  Body extends StandardSchemaV1 | undefined,
  Response extends StandardSchemaV1 | undefined,
  Result,
  Path extends string = string,
> {
  validate?: RouteValidation<Params, Query, Body, Response>;
  handler: (
    event: H3Event,
    input: ValidatedInput<Params, Query, Body, Path>,
  ) => Response extends StandardSchemaV1 ? MaybePromise<InferInput<Response>> : Result;
  /** Route metadata; `meta.openAPI` documents the route. */
  meta?: TypedRouteMeta;
  /** h3 middleware run before this handler only. */
  middleware?: Middleware[];
}

/** The endpoint type of a validated route. */
export type DefinitionEndpoint<
  Query extends StandardSchemaV1 | undefined,
  Body extends StandardSchemaV1 | undefined,
  Response extends StandardSchemaV1 | undefined,
  Result,
> = RouteEndpoint<
  Response extends StandardSchemaV1 ? InferOutput<Response> : Awaited<Result>,
  Body extends StandardSchemaV1 ? InferInput<Body> : unknown,
  Query extends StandardSchemaV1 ? InferInput<Query> : unknown
>;
