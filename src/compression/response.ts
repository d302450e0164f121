import { HTTPResponse, toResponse, type H3Event } from "h3";

/**
 * What a handler or the rules inside returned, as the `Response` h3 would send (headers staged
 * on `event.res` included), for rules that must see the final answer. `undefined` when there is
 * nothing to look at (nothing answered, no route, an error returned): h3 answers it as it would.
 */
export async function finalResponse(event: H3Event, result: unknown): Promise<Response | undefined> {
  // Nothing, h3's "no route" marker or a returned error: h3 answers those through the app's error handling.
  if (result === undefined || result === null || typeof result === "symbol" || result instanceof Error) return undefined;
  return toResponse(result, event);
}

/**
 * Whether the body of `result` is already whole in memory (a string, bytes, a JSON value): it can
 * be read, hashed and compressed at once. A `ReadableStream` or a `Response` may be an endless
 * stream (server-sent events) and is never read ahead.
 */
export function isInMemory(result: unknown): boolean {
  if (result instanceof HTTPResponse) return isInMemory(result.body);
  if (result instanceof Response || result instanceof ReadableStream) return false;
  if (typeof result === "object" && result !== null) {
    const candidate = result as { pipe?: unknown; getReader?: unknown; [Symbol.asyncIterator]?: unknown };
    if (typeof candidate.pipe === "function" || typeof candidate.getReader === "function" || typeof candidate[Symbol.asyncIterator] === "function") return false;
  }
  return true;
}

/** `Vary` with `name` added, unless already listed (or `*`). */
export function addVary(headers: Headers, name: string): void {
  const vary = headers.get("vary");
  if (!vary) return headers.set("vary", name);
  const listed = vary.split(",").map((value) => value.trim().toLowerCase());
  if (!listed.includes("*") && !listed.includes(name.toLowerCase())) headers.set("vary", `${vary}, ${name}`);
}
