import { FastResponse } from "srvx";
import type { H3Event, H3EventContext, HTTPError, Middleware } from "h3";
import type { RuleHandler } from "h3/rules";

/** One `headers` rule's headers: lower-case names, string values. */
export type HeaderEntries = ReadonlyArray<readonly [name: string, value: string]>;

/** Where a request keeps the headers its matched `headers` rules add, until its response exists. */
const kRuleHeaders = Symbol("nitrokit.ruleHeaders");
type RuleHeadersSlot = { [kRuleHeaders]?: readonly HeaderEntries[] };

/**
 * The `headers` rule, with h3's semantics (Nitro 3's): the headers are set on every answer to a
 * matching request, after the handler, so they win over headers the handler set; on an error
 * they join the error response unless the `HTTPError` carries a header of that name itself.
 *
 * How differs from h3's rule, for speed: h3's awaits `next()` in an async function and writes
 * each header into `event.res.headers` and `event.res.errHeaders`, two `Headers` objects that
 * h3 then merges into a third. Measured on Node, one matching rule took a fifth of the app's
 * throughput. Here the middleware only records the rule's headers on the request; the request
 * path adds them to the finished response in one step ({@link withRuleHeaders}), and the error
 * path to the error response ({@link ruleHeadersForError}).
 */
export function createHeadersRule(): RuleHandler<"headers"> {
  return {
    // h3's order for `headers`: after `cors`, before `redirect` and `proxy`, whose answers it decorates.
    order: -1,
    handler: (matched) => {
      const options = matched.options;
      const known = options ? middlewareByOptions.get(options) : undefined;
      if (known) return known;
      const entries: HeaderEntries = Object.entries(options ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)] as const);
      // The one-entry list every request matching this rule records: made once, shared, never changed.
      const recorded: readonly HeaderEntries[] = [entries];
      const middleware: Middleware = function headersRouteRule(event: H3Event, next) {
        recordRuleHeaders(event.context, recorded);
        return next();
      };
      headersRuleEntries.set(middleware, recorded);
      if (options) middlewareByOptions.set(options, middleware);
      return middleware;
    },
  };
}

/**
 * The middleware made for each rule's options object. h3 builds a request's rule middleware each
 * time its memo of method and path misses (every request, when paths carry ids), and one matched
 * rule keeps its config's own options object: the same options get the same middleware and the
 * same entries, so what is keyed by them (plain-response.ts: the JSON answers' header lists) stays found.
 * Merged options (several rules on one path) are a new object each time, and are built as before.
 */
const middlewareByOptions = new WeakMap<object, Middleware>();

/** Each `headers` rule middleware's headers (as the list it records), so the request path can record them without running it. */
const headersRuleEntries = new WeakMap<Middleware, readonly HeaderEntries[]>();

/** The headers a `headers` rule middleware records (the list it records), or undefined for any other middleware. */
export function headersOfRule(middleware: Middleware): readonly HeaderEntries[] | undefined {
  return headersRuleEntries.get(middleware);
}

/**
 * Records the headers of one or more `headers` rules on the request, in order, for the response
 * (what the rule's middleware does). The list is shared by every request of the rule (see
 * {@link createHeadersRule}): it is never changed, a second record makes a new list.
 */
export function recordRuleHeaders(context: H3EventContext, list: readonly HeaderEntries[]): void {
  const slot = context as RuleHeadersSlot;
  const recorded = slot[kRuleHeaders];
  slot[kRuleHeaders] = recorded === undefined ? list : [...recorded, ...list];
}

/** The headers `headers` rules recorded for this request, left recorded (see {@link takeRuleHeaders}). */
export function peekRuleHeaders(context: H3EventContext | undefined): readonly HeaderEntries[] | undefined {
  return (context as RuleHeadersSlot | undefined)?.[kRuleHeaders];
}

/** The headers `headers` rules recorded for this request, taken: whoever takes them applies them. */
export function takeRuleHeaders(context: H3EventContext | undefined): readonly HeaderEntries[] | undefined {
  const slot = context as RuleHeadersSlot | undefined;
  const pending = slot?.[kRuleHeaders];
  if (pending) slot[kRuleHeaders] = undefined;
  return pending;
}

/** For the error path: the recorded headers go into `event.res.errHeaders`, except those the error sets itself. */
export function ruleHeadersForError(event: H3Event, error: HTTPError): void {
  const pending = takeRuleHeaders(event.context);
  if (!pending) return;
  const own = error.status > 99 ? error.headers : undefined;
  const target = event.res.errHeaders;
  for (const entries of pending) for (const [name, value] of entries) if (!own?.has(name)) target.set(name, value);
}

/**
 * Adds the recorded headers to the response in place, so the `response` hook sees them. A
 * response whose headers cannot change (a fetched one, a redirect) keeps them recorded, and
 * {@link withRuleHeaders} rebuilds it once the hook has run.
 */
export function addRuleHeadersInPlace(response: Response, context: H3EventContext): void {
  const pending = takeRuleHeaders(context);
  if (!pending) return;
  try {
    setRuleHeaders(response.headers, pending);
  } catch {
    (context as RuleHeadersSlot)[kRuleHeaders] = pending;
  }
}

/** srvx's in-memory response on Node: its parts without building a web `Response`. */
interface NodeResponseParts {
  status: number;
  statusText: string;
  headers: string[];
  body: unknown;
}

/**
 * The response with the recorded headers added (replacing same-named ones, `set-cookie` appended).
 * On Node, srvx's response hands over its parts and a new one is built around them, without ever
 * building a `Headers` object; elsewhere the headers change in place, or, where they cannot (a
 * fetched response, a redirect), in a copy.
 */
export function withRuleHeaders(response: Response, pending: readonly HeaderEntries[]): Response {
  const toNode = (response as { _toNodeResponse?: () => NodeResponseParts })._toNodeResponse;
  let rebuilt: Response;
  if (typeof toNode === "function") {
    const parts = toNode.call(response);
    const headers: Array<[string, string]> = [];
    for (let i = 0; i < parts.headers.length; i += 2) headers.push([parts.headers[i]!, parts.headers[i + 1]!]);
    appendRuleHeaders(headers, pending);
    rebuilt = new FastResponse(parts.body as BodyInit | null, { status: parts.status, statusText: parts.statusText, headers });
  } else {
    // Bun, Deno, Workers: the runtime's own Response, whose headers usually can change in place.
    try {
      setRuleHeaders(response.headers, pending);
      return response;
    } catch {
      const headers = new Headers(response.headers);
      setRuleHeaders(headers, pending);
      rebuilt = new FastResponse(response.body, { status: response.status, statusText: response.statusText, headers });
    }
  }
  // crossws reads the hooks of an upgrade answer from the response itself.
  const { crossws } = response as { crossws?: unknown };
  if (crossws !== undefined) Object.assign(rebuilt, { crossws });
  return rebuilt;
}

/**
 * Adds the recorded headers to a response's header list, as `Headers#set` would: each replaces
 * the entries of its name (lower-case on both sides), `set-cookie` is appended. The lists are a
 * handful of entries, so a scan beats building a lookup per request.
 */
export function appendRuleHeaders(headers: Array<[name: string, value: string]>, pending: readonly HeaderEntries[]): void {
  for (const entries of pending) {
    for (const [name, value] of entries) {
      if (name !== "set-cookie") {
        for (let i = headers.length - 1; i >= 0; i--) if (headers[i]![0].toLowerCase() === name) headers.splice(i, 1);
      }
      headers.push([name, value]);
    }
  }
}

/** Adds the recorded headers to a `Headers`: each replaces its name's values, `set-cookie` is appended. */
export function setRuleHeaders(headers: Headers, pending: readonly HeaderEntries[]): void {
  for (const entries of pending) {
    for (const [name, value] of entries) {
      if (name === "set-cookie") headers.append(name, value);
      else headers.set(name, value);
    }
  }
}

/**
 * What `build` makes of a request's recorded rule headers, kept where it can be: made once for
 * none, and once per rule when one `headers` rule matched (the common case: a rule's entries, and
 * so the key, are made once per rule); built afresh for several, whose combinations are many.
 * Made on first use, never at import.
 */
export function perRuleHeaders<T>(build: (pending: readonly HeaderEntries[] | undefined) => T): (pending: readonly HeaderEntries[] | undefined) => T {
  let none: T | undefined;
  const byRule = new WeakMap<HeaderEntries, T>();
  return (pending) => {
    if (pending === undefined || pending.length === 0) return (none ??= build(undefined));
    if (pending.length !== 1) return build(pending);
    const entries = pending[0]!;
    let made = byRule.get(entries);
    if (made === undefined) byRule.set(entries, (made = build(pending)));
    return made;
  };
}
