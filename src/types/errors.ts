import type { H3Event, HTTPError } from "h3";

/** The shapes of error responses, shared by the error path and the config's error handlers. */

/**
 * The JSON body of an error response, as Nitro 3 sends it:
 * `{ error: true, status, statusText?, message, data? }` plus the fields of the
 * error's `body` option (h3 v2), and for an unexpected error
 * `{ error: true, status: 500, unhandled: true, message }`. `stack` only with `dev`.
 */
export interface ErrorResponseBody {
  error: true;
  status: number;
  /** Only when the error was given one (`statusText`/`statusMessage`), as h3's `toJSON()`. */
  statusText?: string;
  /** Set on errors nobody threw on purpose: their details stay in the server log. */
  unhandled?: true;
  message: string;
  data?: unknown;
  stack?: string[];
  /** Extra top-level fields from `new HTTPError({ body })`. */
  [field: string]: unknown;
}

/**
 * The parts of the default error answer, as Nitro 3's `defaultHandler` gives them to a
 * custom error handler: status, reason phrase, headers (security headers, plus any the
 * error or the handler prepared: `Allow` on a 405, `WWW-Authenticate` on a 401, …) and
 * the body (the JSON object, or the HTML page as a string for a browser).
 */
export interface ErrorResponseParts {
  status: number;
  statusText: string;
  headers: Headers;
  body: ErrorResponseBody | string;
}

/**
 * A custom error handler, as Nitro 3's. Return a `Response` to answer the error yourself,
 * or nothing to hand it to the next handler and finally to the default one.
 * `defaultHandler` gives the default answer's parts (`{ status, statusText, headers, body }`,
 * `body` the JSON object, or the HTML page for a browser unless `{ json: true }`).
 */
export type NitroErrorHandler = (
  error: HTTPError,
  event: H3Event,
  helpers: {
    defaultHandler: (error: HTTPError, event: H3Event, options?: { silent?: boolean; json?: boolean }) => ErrorResponseParts;
  },
) => Response | void | undefined | Promise<Response | void | undefined>;
