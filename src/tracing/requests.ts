/**
 * Request spans: a server span per request, named by the route pattern h3 matched
 * (`GET /users/:id`, never the raw path), continuing an incoming W3C `traceparent`, with
 * the stable HTTP semantic-convention attributes.
 */
import type { Span } from "@opentelemetry/api";
import type { H3Event, H3EventContext } from "h3";
import type { RequestObserver, ServeRequest } from "../app/instrumentation.js";
import { headersGetter, isPromise, type Spans } from "./spans.js";

/** The server span of a request, kept on its `event.context` under a symbol. */
const kServerSpan = Symbol.for("nitrokit.tracing.serverSpan");
type TracedContext = H3EventContext & { [kServerSpan]?: Span };

/** The methods semantic conventions name; any other is reported as `_OTHER`. */
const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "QUERY"]);

export class RequestSpans implements RequestObserver {
  constructor(
    readonly spans: Spans,
    readonly close: () => void,
  ) {}

  serve(request: Request, requestContext: H3EventContext, next: ServeRequest): Promise<Response> {
    const { context, propagation, trace, SpanKind, SpanStatusCode } = this.spans.api;
    // srvx's requests carry the URL they already parsed (a lazy FastURL); parse only a bare Request's.
    const url = (request as { _url?: URL })._url ?? new URL(request.url);
    const method = KNOWN_METHODS.has(request.method) ? request.method : "_OTHER";
    // A request served in-process ($fetch("/x") in a handler) has no traceparent: it continues the active trace.
    const parent = propagation.extract(context.active(), request.headers, headersGetter);
    const span = this.spans.tracer.startSpan(
      method === "_OTHER" ? "HTTP" : method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          "http.request.method": method,
          ...(method === "_OTHER" ? { "http.request.method_original": request.method } : undefined),
          "url.path": url.pathname,
          "url.scheme": url.protocol.slice(0, -1),
          "server.address": url.hostname,
          ...(url.port ? { "server.port": Number(url.port) } : undefined),
          ...(request.headers.has("user-agent") ? { "user_agent.original": request.headers.get("user-agent")! } : undefined),
          // srvx's requests know the peer's address (Node, Bun, Deno); a bare Request does not.
          ...((request as { ip?: string }).ip ? { "client.address": (request as { ip?: string }).ip! } : undefined),
        },
      },
      parent,
    );
    (requestContext as TracedContext)[kServerSpan] = span;
    const finish = (response: Response) => {
      this.#named(span, method, requestContext);
      span.setAttribute("http.response.status_code", response.status);
      if (response.status >= 500) {
        span.setAttribute("error.type", String(response.status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
      return response;
    };
    const failed = (error: unknown): never => {
      this.#named(span, method, requestContext);
      this.spans.fail(span, error);
      span.end();
      throw error;
    };
    try {
      const response = context.with(trace.setSpan(parent, span), next, undefined, request, requestContext);
      return isPromise<Response>(response) ? response.then(finish, failed) : Promise.resolve(finish(response));
    } catch (error) {
      return Promise.reject(failed(error));
    }
  }

  /** The exception event on the server span of a request that failed with an unhandled error. */
  failed(event: H3Event, error: unknown): void {
    const span = (event.context as TracedContext)[kServerSpan];
    if (span && error instanceof Error) span.recordException(error);
  }

  #named(span: Span, method: string, requestContext: H3EventContext): void {
    const route = requestContext.matchedRoute?.route;
    if (!route) return;
    span.setAttribute("http.route", route);
    span.updateName(`${method === "_OTHER" ? "HTTP" : method} ${route}`);
  }
}

