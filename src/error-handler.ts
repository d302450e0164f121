import type { NitroErrorHandler } from "./config.js";

/**
 * Typed identity for a custom error handler (`errorHandler` in the config).
 * Return a `Response` to answer the error, or nothing to pass it on.
 *
 * @example
 * export default defineNitroErrorHandler((error, event, { defaultHandler }) => {
 *   if (error.status === 404) return new Response("Nothing here", { status: 404 });
 * });
 */
export function defineNitroErrorHandler(handler: NitroErrorHandler): NitroErrorHandler {
  return handler;
}
