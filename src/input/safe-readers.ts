/**
 * h3's input readers with one addition: what they parse never reaches the app with
 * an own `__proto__` key or a `constructor.prototype` chain (see forbidden-keys.ts).
 * Same names, signatures and results as h3's, so `nitrokit/h3` exports these in
 * their place and Nitro code calling `readBody(event)` is protected unchanged.
 */
import {
  HTTPError,
  getQuery as h3GetQuery,
  readBody as h3ReadBody,
  type ErrorDetails,
  type HTTPEvent,
} from "h3";
import { assertNoPrototypeKeys } from "./forbidden-keys.js";

type Validator = ((data: unknown) => unknown) | { "~standard": { validate(data: unknown): unknown } };
type StandardResult = { value?: unknown; issues?: ReadonlyArray<unknown> };
type ValidateOptions = { onError?: (result: { issues: ReadonlyArray<unknown> }) => ErrorDetails };

/**
 * h3's `readBody` (JSON, or an object of fields for `application/x-www-form-urlencoded`
 * and `type: "formData"`), refusing input shaped for prototype pollution with `400`.
 *
 * @example
 * import { defineHandler, readBody } from "nitrokit/h3";
 * app.post("/api/settings", defineHandler(async (event) => merge(defaults, await readBody(event))));
 */
export const readBody = (async (event: HTTPEvent, options?: Parameters<typeof h3ReadBody>[1]) => {
  const body: unknown = await h3ReadBody(event, options);
  if (options?.type !== "text") assertNoPrototypeKeys(body, "body");
  return body;
}) as typeof h3ReadBody;

/**
 * h3's `readValidatedBody`: the body is checked for prototype-polluting keys before
 * the schema or validation function sees it.
 *
 * @example
 * import { z } from "zod";
 * const user = await readValidatedBody(event, z.object({ name: z.string() }));
 */
export const readValidatedBody = (async (event: HTTPEvent, validate: Validator, options?: Parameters<typeof h3ReadBody>[1] & ValidateOptions) =>
  validateData(await readBody(event, options), validate, options)) as typeof import("h3").readValidatedBody;

/**
 * h3's `getQuery`, refusing a `__proto__` parameter (`?__proto__=x`) with `400`.
 *
 * @example
 * import { defineHandler, getQuery } from "nitrokit/h3";
 * app.get("/api/search", defineHandler((event) => ({ q: getQuery(event).q })));
 */
export const getQuery = ((event: HTTPEvent) => {
  const query: unknown = h3GetQuery(event);
  assertNoPrototypeKeys(query, "query");
  return query;
}) as typeof h3GetQuery;

/**
 * h3's `getValidatedQuery`, on the query {@link getQuery} checked.
 *
 * @example
 * const { page } = await getValidatedQuery(event, z.object({ page: z.coerce.number() }));
 */
export const getValidatedQuery = ((event: HTTPEvent, validate: Validator, options?: ValidateOptions) =>
  validateData(getQuery(event), validate, options)) as typeof import("h3").getValidatedQuery;

/**
 * h3's validation step (not exported by h3): a Standard Schema's issues or a function
 * returning `false` become a 400 `HTTPError` (through `onError` when given); `true`
 * keeps the data; any other result replaces it.
 */
async function validateData(data: unknown, validate: Validator, options?: ValidateOptions): Promise<unknown> {
  if ("~standard" in validate) {
    const result = (await validate["~standard"].validate(data)) as StandardResult;
    if (result.issues) throw validationError(options?.onError?.({ issues: result.issues }) ?? { message: VALIDATION_FAILED, issues: result.issues });
    return result.value;
  }
  let result: unknown;
  try {
    result = await validate(data);
  } catch (error) {
    throw validationError(error);
  }
  if (result === false) throw validationError(options?.onError?.({ issues: [{ message: VALIDATION_FAILED }] }) ?? { message: VALIDATION_FAILED });
  if (result === true) return data;
  return result ?? data;
}

const VALIDATION_FAILED = "Validation failed";

function validationError(cause: unknown): HTTPError {
  if (HTTPError.isError(cause)) return cause;
  const details = (cause ?? {}) as { status?: number; statusText?: string; message?: string; issues?: unknown };
  return new HTTPError({
    cause,
    status: details.status || 400,
    statusText: details.statusText || VALIDATION_FAILED,
    message: details.message || VALIDATION_FAILED,
    data: { issues: details.issues, message: cause instanceof Error ? VALIDATION_FAILED : details.message || VALIDATION_FAILED },
  });
}
