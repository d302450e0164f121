import { defineMiddleware, HTTPError, type H3Event, type Middleware } from "h3";
import { createNitroApp } from "../../app/nitro-app.js";
import type { NitroApp } from "../../types/app.js";
import { errorResponse } from "../../errors/error-response.js";
import { describeError } from "../errors.js";

/**
 * Added to every app `dev` loads: while the last change failed to load, a browser
 * navigation gets a page showing that error (the terminal is not where the developer
 * is looking); every other request is served by the app as usual.
 */
export function failureOverlay(currentFailure: () => Error | undefined): Middleware {
  return defineMiddleware((event) => {
    const failure = currentFailure();
    if (failure && isPageRequest(event)) return failureResponse(failure, 500, "The last change failed to load; other requests are still served by the version before it.", true);
  });
}

/** What `dev` serves when no version of the app has loaded yet: the error, to every request. */
export function createFailureApp(failure: Error): NitroApp {
  const app = createNitroApp({ dev: true });
  app.use(defineMiddleware((event) => failureResponse(failure, 503, "The app failed to load; fix the error and save to reload.", isPageRequest(event))));
  return app;
}

/** The error response, its stack replaced by the load error's (dev error bodies show the stack). */
function failureResponse(failure: Error, status: number, message: string, html: boolean): Response {
  const error = new HTTPError({ status, message: `nitrokit dev: ${message}` });
  error.stack = describeError(failure);
  return errorResponse(error, { dev: true, html });
}

function isPageRequest(event: H3Event): boolean {
  return event.req.method === "GET" && (event.req.headers.get("accept") ?? "").includes("text/html");
}
