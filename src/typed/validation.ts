import { HTTPError, getRouterParams, getValidatedRouterParams, type H3Event } from "h3";
import { getQuery, getValidatedQuery, readValidatedBody } from "../input/safe-readers.js";
import type { RouteValidation } from "./route-types.js";
import type { StandardIssue, StandardSchemaV1 } from "./schema.js";

/** Where a bad value was found. */
export type InputSource = "params" | "query" | "body";

/** One problem with a request's input, as listed in a 400 response's `data.issues`. */
export interface ValidationIssue {
  source: InputSource;
  /** Path to the value inside its source: `["address", "zip"]`, `["tags", 0]`. */
  path: Array<string | number>;
  message: string;
}

/** The `data` of a 400 answer to invalid input. */
export interface ValidationErrorData {
  issues: ValidationIssue[];
}

/** Thrown by the h3 validators' `onError` so that every source's issues can be gathered into one answer. */
class InputIssues extends HTTPError {
  constructor(readonly issues: ValidationIssue[]) {
    super({ status: 400 });
  }
}

const reject = (source: InputSource) => (result: { issues: ReadonlyArray<StandardIssue> }) =>
  new InputIssues(result.issues.map((issue) => ({ source, path: issuePath(issue), message: issue.message })));

/**
 * Parses a request's params, query and body with their schemas (through h3's
 * `getValidatedRouterParams`, `getValidatedQuery`, `readValidatedBody`). All three
 * are checked before answering, so one 400 lists every issue.
 */
export async function readValidatedInput(
  event: H3Event,
  validate: RouteValidation,
): Promise<{ params: unknown; query: unknown; body: unknown }> {
  const issues: ValidationIssue[] = [];
  const collect = (pending: Promise<unknown>) =>
    pending.catch((error: unknown) => {
      if (!(error instanceof InputIssues)) throw error;
      issues.push(...error.issues);
    });
  const [params, query, body] = await Promise.all([
    validate.params
      ? collect(getValidatedRouterParams(event, validate.params, { decode: true, onError: reject("params") }))
      : getRouterParams(event, { decode: true }),
    validate.query ? collect(getValidatedQuery(event, validate.query, { onError: reject("query") })) : getQuery(event),
    validate.body ? collect(readValidatedBody(event, validate.body, { onError: reject("body") })) : undefined,
  ]);
  if (issues.length > 0) throw invalidInput(issues);
  return { params, query, body };
}

/** `400 Bad Request` naming the first issue, with every issue in `data.issues`. */
function invalidInput(issues: ValidationIssue[]): HTTPError<ValidationErrorData> {
  const [first] = issues;
  const where = [first!.source, ...first!.path].join(".");
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? "s" : ""})` : "";
  return new HTTPError<ValidationErrorData>({
    status: 400,
    statusText: "Bad Request",
    message: `Invalid ${where}: ${first!.message}${more}`,
    data: { issues },
  });
}

/**
 * Checks what a handler returned against its response schema and returns the parsed
 * value (so a schema can strip fields). A mismatch is a bug on the server: it
 * becomes an unhandled error (500; the details reach the log, not the client).
 */
export async function checkResponse(schema: StandardSchemaV1, value: unknown, route: string): Promise<unknown> {
  if (value instanceof Response) return value;
  const result = await schema["~standard"].validate(value);
  if (!result.issues) return result.value;
  const details = result.issues.map((issue) => `${issuePath(issue).join(".") || "(root)"}: ${issue.message}`).join("; ");
  throw new TypeError(`[nitrokit] ${route}: the handler's result does not match its response schema: ${details}`);
}

function issuePath(issue: StandardIssue): Array<string | number> {
  return (issue.path ?? []).map((segment) => {
    const key = typeof segment === "object" && segment !== null ? segment.key : segment;
    return typeof key === "number" ? key : String(key);
  });
}
