import type { EventHandlerRequest, H3Event } from "h3";
import type { RouteEndpoint } from "./route-types.js";

/** The request type an h3 handler declares (`defineHandler<{ body: … }>`, `defineValidatedHandler`). */
type RequestOf<H> = H extends (event: H3Event<infer Request>) => unknown ? Request : EventHandlerRequest;

type DeclaredBody<Request> = Request extends { body: infer Body } ? (unknown extends Body ? unknown : Body) : unknown;
type DeclaredQuery<Request> = Request extends { query: infer Query }
  ? EventHandlerRequest["query"] extends Query
    ? unknown
    : Query
  : unknown;

/**
 * The endpoint a registered handler gives the app's type: a typed handler's own, else
 * what the handler returns plus the body and query its h3 request type declares.
 */
export type HandlerEndpoint<H> = H extends { readonly "~endpoint"?: infer Endpoint extends RouteEndpoint }
  ? "~endpoint" extends keyof H
    ? Endpoint
    : PlainEndpoint<H>
  : PlainEndpoint<H>;

type PlainEndpoint<H> = RouteEndpoint<HandlerResult<H>, DeclaredBody<RequestOf<H>>, DeclaredQuery<RequestOf<H>>>;

/** What a handler resolves to: its awaited return value, or `Response` for fetchable objects. */
export type HandlerResult<H> = H extends (...args: never[]) => infer R
  ? Awaited<R>
  : H extends { fetch: (...args: never[]) => unknown }
    ? Response
    : unknown;
