import { FastResponse } from "srvx";
import { appendRuleHeaders, perRuleHeaders, setRuleHeaders, type HeaderEntries } from "../route-rules/headers-rule.js";

/** h3's JSON content type, byte for byte, so nitrokit's JSON answers and h3's are alike. */
export const JSON_CONTENT_TYPE = "application/json;charset=UTF-8";

/**
 * The headers of a plain JSON answer, in the two shapes its two readers take: the response's init
 * (its name/value pairs, which srvx copies into a `Headers` when anyone asks), and the flat list
 * Node's `writeHead` takes, ending with `content-length` and an empty value for the listener to
 * fill in its copy. Built once per set of rule headers and shared by every response that has it:
 * nothing writes to them (srvx copies the pairs into a `Headers` before anyone can change a
 * response's headers, and never writes to its init; the Node listener copies the flat list). They
 * are not frozen: measured, V8 reads and copies frozen arrays on slow paths, +1 µs per request.
 */
export interface PlainJSONHeaders {
  readonly init: { readonly headers: ReadonlyArray<readonly [name: string, value: string]> };
  readonly flat: readonly string[];
}

/**
 * The headers of a plain JSON answer with the headers the request's `headers` rules recorded
 * (headers-rule.ts), replacing h3's content type if a rule sets one, as h3's rule would.
 */
export const headersForPlainJSON = perRuleHeaders<PlainJSONHeaders>((ruleHeaders) => {
  const pairs: Array<[string, string]> = [["content-type", JSON_CONTENT_TYPE]];
  if (ruleHeaders) appendRuleHeaders(pairs, ruleHeaders);
  return { init: { headers: pairs }, flat: [...pairs.flat(), "content-length", ""] };
});

/** A plain JSON answer's parts as Node's listener writes them: the body and its headers, flat, the length's value left empty. */
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
    // srvx reads the init (to copy its pairs into a `Headers`, or to write them), never writes to it.
    super(body, headers.init as ResponseInit);
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

// --- Bun, Deno, Workers ----------------------------------------------------------------
/*
 * A handler's plain object as a JSON answer on runtimes whose `Response` is their own (Bun, Deno,
 * Workers), where no Node listener is there to write a `PlainJSONResponse`'s parts (above).
 *
 * There, `PlainJSONResponse` is a subclass of the native `Response` built from an array of header
 * pairs, and the runtime turns that array into its native headers on every request. Measured on
 * Bun 1.4.5 (200,000 constructions, medians): the subclass with a header array ~1,100 ns, a plain
 * `new Response` with an object or array init ~650–950 ns, with a `Headers` object as init ~370 ns:
 * copying native headers into native headers is the cheap way in. So the headers of each answer
 * shape (the content type alone, or with one matched `headers` rule's entries) are built once, as a
 * template the response copies. The template is never handed out, so nobody can change it: every
 * response gets headers of its own (a test changes one response's and reads the next one's).
 */

/**
 * Whether srvx's `Response` is the runtime's own (srvx's Bun, Deno, Workers and generic builds),
 * not the Node build's response that the Node listener takes apart. Decided on the first answer,
 * not at import: on Node, reading `globalThis.Response` loads undici's fetch, which a start-up
 * should not pay for.
 */
export function runtimeOwnsResponse(): boolean {
  return (ownsResponse ??= (FastResponse as unknown) === globalThis.Response);
}
let ownsResponse: boolean | undefined;

/** The JSON answer's headers as a template each response copies (never handed out, so never changed). */
const headersTemplate = perRuleHeaders<Headers>((ruleHeaders) => {
  const headers = new Headers({ "content-type": JSON_CONTENT_TYPE });
  if (ruleHeaders) setRuleHeaders(headers, ruleHeaders);
  return headers;
});

/**
 * The JSON answer of `value` with the content type and the recorded rule headers, added as
 * `Headers#set` adds them (a rule's `content-type` replaces the JSON one; `set-cookie` is appended).
 *
 * `Response.json` serializes as `JSON.stringify` does (the Fetch standard says so) and keeps a
 * `content-type` its init already has: the same bytes and headers as `new Response(JSON.stringify(value))`.
 * Measured on Bun 1.4.5 inside a `Bun.serve` handler (medians of the call on live requests): ~870 ns
 * against ~950 ns for the string body, Bun serializing natively instead of handing a JS string over.
 * Only for values whose serialization is a JSON text: `toJSON` may answer `undefined` (no body at all
 * from `JSON.stringify`, a TypeError from `Response.json`), so such values, like indented output, take the string.
 */
export function runtimeJSONResponse(value: object, ruleHeaders: readonly HeaderEntries[] | undefined, indent?: number): Response {
  const init = { headers: headersTemplate(ruleHeaders) };
  if (indent !== undefined || typeof (value as { toJSON?: unknown }).toJSON === "function") {
    return new Response(JSON.stringify(value, undefined, indent), init);
  }
  return Response.json(value, init);
}
