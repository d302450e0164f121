import { FastResponse } from "srvx";
import { appendRuleHeaders, type HeaderEntries } from "../route-rules/headers-rule.js";

/** h3's JSON content type, byte for byte, so nitrokit's JSON answers and h3's are alike. */
export const JSON_CONTENT_TYPE = "application/json;charset=UTF-8";

/**
 * The headers of a plain JSON answer, in the two shapes its two readers take: name/value pairs
 * for the response (srvx copies them into a `Headers` when anyone asks), and the flat list
 * Node's `writeHead` takes. Built once per set of rule headers and shared by every response
 * that has it: nothing writes to them (srvx copies the pairs into a `Headers` before anyone can
 * change a response's headers; the Node listener copies the flat list to add the length). They
 * are not frozen: measured, V8 reads and copies frozen arrays on slow paths, +1 µs per request.
 */
export interface PlainJSONHeaders {
  readonly pairs: ReadonlyArray<readonly [name: string, value: string]>;
  readonly flat: readonly string[];
}

function plainJSONHeaders(ruleHeaders: HeaderEntries[] | undefined): PlainJSONHeaders {
  const pairs: Array<[string, string]> = [["content-type", JSON_CONTENT_TYPE]];
  if (ruleHeaders) appendRuleHeaders(pairs, ruleHeaders);
  return { pairs, flat: pairs.flat() };
}

const JSON_ONLY = plainJSONHeaders(undefined);
/** By the one `headers` rule a request matched (the common case): its entries are made once per rule. */
const withOneRule = new WeakMap<HeaderEntries, PlainJSONHeaders>();

/**
 * The headers of a plain JSON answer with the headers the request's `headers` rules recorded
 * (headers-rule.ts), replacing h3's content type if a rule sets one, as h3's rule would.
 */
export function headersForPlainJSON(ruleHeaders: HeaderEntries[] | undefined): PlainJSONHeaders {
  if (ruleHeaders === undefined) return JSON_ONLY;
  if (ruleHeaders.length !== 1) return plainJSONHeaders(ruleHeaders);
  const entries = ruleHeaders[0]!;
  let headers = withOneRule.get(entries);
  if (headers === undefined) withOneRule.set(entries, (headers = plainJSONHeaders(ruleHeaders)));
  return headers;
}

/** A plain JSON answer's parts as Node's listener writes them: the body and its headers, flat. */
export interface PlainAnswerParts {
  readonly body: string;
  readonly headers: readonly string[];
}

/**
 * The response of a handler's plain object (app-h3.ts builds it): srvx's `FastResponse` in every
 * way that anyone can see, that also keeps the body and headers it was built from, so the Node
 * listener can write them as they are instead of asking srvx to take the response apart again.
 *
 * The parts stand only while nobody has looked inside the response: reading `headers` (which may
 * change them: the `response` hook, the tracing and logging observers) or anything that makes srvx
 * build the web `Response` underneath (`body`, `text()`, `clone()` …) drops them, and the listener
 * then goes through srvx as for any response. A response's status and body cannot change.
 */
export class PlainJSONResponse extends FastResponse {
  #parts: PlainAnswerParts | undefined;

  constructor(body: string, headers: PlainJSONHeaders) {
    // srvx reads the pairs (to copy them into a `Headers`, or to write them), never writes to them.
    super(body, { headers: headers.pairs as Array<[string, string]> });
    this.#parts = { body, headers: headers.flat };
  }

  override get headers(): Headers {
    this.#parts = undefined;
    return super.headers;
  }

  /** srvx's Node response builds the web `Response` here, for every method it inherits from it. */
  get _response(): Response {
    this.#parts = undefined;
    return Reflect.get(FastResponse.prototype, "_response", this) as Response;
  }

  /** The parts as built, or undefined once the response has been read or could have changed. */
  static partsOf(response: Response): PlainAnswerParts | undefined {
    return #parts in response ? (response as PlainJSONResponse).#parts : undefined;
  }
}
