import { HTTPError, type H3Event } from "h3";
import { FastResponse } from "srvx";
import type { ErrorResponseBody, ErrorResponseParts, NitroErrorHandler } from "../types/errors.js";

/** Sent with every error response: error pages are never framed, sniffed or leak the referrer. */
const SECURITY_HEADERS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  "cache-control": "no-store",
};

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found",
  405: "Method Not Allowed", 406: "Not Acceptable", 407: "Proxy Authentication Required", 408: "Request Timeout",
  409: "Conflict", 410: "Gone", 411: "Length Required", 412: "Precondition Failed", 413: "Content Too Large",
  414: "URI Too Long", 415: "Unsupported Media Type", 416: "Range Not Satisfiable", 417: "Expectation Failed",
  418: "I'm a Teapot", 421: "Misdirected Request", 422: "Unprocessable Content", 423: "Locked", 424: "Failed Dependency",
  425: "Too Early", 426: "Upgrade Required", 428: "Precondition Required", 429: "Too Many Requests",
  431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons", 500: "Internal Server Error",
  501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
  505: "HTTP Version Not Supported", 507: "Insufficient Storage", 508: "Loop Detected", 511: "Network Authentication Required",
};


/** The reason phrase of `status`, for the HTML page and the status line. */
function reasonPhrase(status: number): string {
  return STATUS_TEXT[status] || (status >= 500 ? "Server Error" : "Error");
}

/**
 * What the client is told about `error`. An unhandled error (anything that is not
 * an `HTTPError` thrown on purpose) is a bare 500 unless `dev` is on: its message
 * may carry secrets, so it only reaches the server log.
 */
export function toErrorBody(error: HTTPError, dev: boolean): ErrorResponseBody {
  if (error.unhandled) {
    // Nitro answers every unexpected error with 500, whatever status its cause carried.
    const body: ErrorResponseBody = { error: true, status: 500, unhandled: true, message: dev ? unhandledMessage(error) : reasonPhrase(500) };
    if (dev && error.stack) body.stack = stackLines(error);
    return body;
  }
  const body: ErrorResponseBody = error.statusText
    ? { error: true, status: error.status, statusText: error.statusText, message: error.message }
    : { error: true, status: error.status, message: error.message };
  if (error.data !== undefined) body.data = error.data;
  // h3's `body` option: extra top-level fields. They may refine the message or data (as in
  // h3's toJSON) but never contradict the response itself (`error`, `status`, `unhandled`).
  const extra = error.body;
  if (extra && typeof extra === "object") {
    for (const key of Object.keys(extra)) {
      if (key === "error" || key === "status" || key === "unhandled") continue;
      body[key] = (extra as Record<string, unknown>)[key];
    }
  }
  if (dev && error.stack) body.stack = stackLines(error);
  return body;
}

function stackLines(error: Error): string[] {
  return (error.stack ?? "").split("\n").map((line) => line.trim());
}

/** The message h3 gives an unhandled error is "HTTPError"; the useful one is on its cause. */
function unhandledMessage(error: HTTPError): string {
  if (error.cause instanceof Error) return error.cause.message;
  return error.message;
}

/** True when the client asked for a page rather than data (a browser navigation). */
function prefersHTML(event: H3Event): boolean {
  const accept = event.req.headers.get("accept") || "";
  return accept.includes("text/html") && !accept.includes("application/json");
}


/**
 * The default error response: JSON for API clients, a small HTML page for browsers,
 * security headers on both, plus any headers the error or the handler prepared.
 */
export function defaultErrorResponse(error: HTTPError, event: H3Event, dev: boolean): Response {
  return errorResponse(error, { dev, html: prefersHTML(event), headers: event.res.errHeaders });
}

/** The error response itself, for callers that have no event (a request refused before routing). */
export function errorResponse(error: HTTPError, options: { dev: boolean; html?: boolean; headers?: Headers }): Response {
  const { body, ...init } = errorResponseParts(error, options);
  return new FastResponse(typeof body === "string" ? body : JSON.stringify(body), init);
}

function errorResponseParts(error: HTTPError, options: { dev: boolean; html?: boolean; headers?: Headers }): ErrorResponseParts {
  const body = toErrorBody(error, options.dev);
  const statusText = body.statusText || reasonPhrase(body.status);
  const headers = new Headers(SECURITY_HEADERS);
  if (options.headers) copyHeaders(headers, options.headers);
  // An unhandled error's headers came from code that did not mean to answer with them (as in Nitro).
  if (error.headers && !error.unhandled) copyHeaders(headers, error.headers);
  if (options.html) {
    headers.set("content-type", "text/html;charset=UTF-8");
    return { status: body.status, statusText, headers, body: renderErrorPage(body, statusText) };
  }
  headers.set("content-type", "application/json;charset=UTF-8");
  return { status: body.status, statusText, headers, body };
}

function copyHeaders(target: Headers, source: Headers): void {
  for (const [name, value] of source) {
    if (name === "set-cookie") target.append(name, value);
    else target.set(name, value);
  }
}

function renderErrorPage(body: ErrorResponseBody, statusText: string): string {
  const stack = body.stack ? `<pre>${escapeHTML(body.stack.join("\n"))}</pre>` : "";
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${body.status} ${escapeHTML(statusText)}</title><style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}h1{font-size:3rem;margin:0}pre{overflow:auto;background:#f4f4f4;padding:1rem;font-size:.8rem}</style></head><body><h1>${body.status}</h1><p>${escapeHTML(body.message)}</p>${stack}</body></html>`;
}

function escapeHTML(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Runs the user's error handlers in order; the first to return a `Response` answers.
 * A handler that throws is skipped (and logged): the client still gets the default answer.
 */
export async function runErrorHandlers(
  handlers: readonly NitroErrorHandler[],
  error: HTTPError,
  event: H3Event,
  dev: boolean,
): Promise<Response> {
  // Nitro 3's helper: the default answer's parts, for a handler that adjusts them and builds its own Response.
  const defaultHandler = (err: HTTPError, ev: H3Event, opts?: { silent?: boolean; json?: boolean }): ErrorResponseParts =>
    errorResponseParts(err, { dev, html: !opts?.json && prefersHTML(ev), headers: ev.res.errHeaders });
  for (const handler of handlers) {
    try {
      const response = await handler(error, event, { defaultHandler });
      if (response instanceof Response) return response;
    } catch (handlerError) {
      console.error("[nitrokit] errorHandler threw; falling back to the default error response:", handlerError);
    }
  }
  return defaultErrorResponse(error, event, dev);
}

/** `405 Method Not Allowed` for a path that exists under other methods. */
export function methodNotAllowed(event: H3Event, allowed: string[]): HTTPError {
  return new HTTPError({
    status: 405,
    message: `Method ${event.req.method} is not allowed on ${event.url.pathname}`,
    headers: { allow: allowed.join(", ") },
  });
}

/** h3's not-found error names the full URL (host and query included); name the path only. */
export function notFound(event: H3Event): HTTPError {
  return new HTTPError({ status: 404, message: `Cannot find any route matching [${event.req.method}] ${event.url.pathname}` });
}

/** 503 for requests that arrive while the app cannot serve (closing, or start-up failed). */
export function unavailableResponse(message: string): Response {
  return errorResponse(new HTTPError({ status: 503, message }), { dev: false });
}
