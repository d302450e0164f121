import type { NitroErrorHandler } from "../types/errors.js";

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

/**
 * Nitro 3's name for {@link defineNitroErrorHandler} (`import { defineErrorHandler } from "nitro"`).
 *
 * @example
 * import { defineErrorHandler } from "nitrokit";
 * export default defineErrorHandler((error) => {
 *   if (error.status === 404) return new Response("Nothing here", { status: 404 });
 * });
 */
export const defineErrorHandler: typeof defineNitroErrorHandler = defineNitroErrorHandler;
