/**
 * A handler's plain object as a JSON answer on runtimes whose `Response` is their own (Bun, Deno,
 * Workers), where no Node listener is there to write a `PlainJSONResponse`'s parts (plain-response.ts).
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
import { FastResponse } from "srvx";
import type { HeaderEntries } from "../route-rules/headers-rule.js";
import { JSON_CONTENT_TYPE } from "./plain-response.js";

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


/** The JSON answer's headers with no rule headers (made on first use, like everything here). */
let jsonOnly: Headers | undefined;
/** The JSON answer's headers with one `headers` rule's entries added, per rule (its entries are made once). */
const withOneRule = new WeakMap<HeaderEntries, Headers>();

/**
 * The JSON answer of `body` with the content type and the recorded rule headers, added as
 * `Headers#set` adds them (a rule's `content-type` replaces the JSON one; `set-cookie` is appended).
 */
export function runtimeJSONResponse(body: string, ruleHeaders: HeaderEntries[] | undefined): Response {
  return new Response(body, { headers: headersTemplate(ruleHeaders) });
}

function headersTemplate(ruleHeaders: HeaderEntries[] | undefined): Headers {
  jsonOnly ??= new Headers({ "content-type": JSON_CONTENT_TYPE });
  if (ruleHeaders === undefined || ruleHeaders.length === 0) return jsonOnly;
  if (ruleHeaders.length === 1) {
    const entries = ruleHeaders[0]!;
    let template = withOneRule.get(entries);
    if (!template) withOneRule.set(entries, (template = withRuleEntries(jsonOnly, ruleHeaders)));
    return template;
  }
  // Several matched rules: rare, and their combinations many; built for this answer alone.
  return withRuleEntries(jsonOnly, ruleHeaders);
}

function withRuleEntries(base: Headers, ruleHeaders: HeaderEntries[]): Headers {
  const headers = new Headers(base);
  for (const entries of ruleHeaders) {
    for (const [name, value] of entries) {
      if (name === "set-cookie") headers.append(name, value);
      else headers.set(name, value);
    }
  }
  return headers;
}

