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

/** srvx's Node response hands its body to the Node adapter as it was given (a string, bytes), without a stream. */
interface NodeFastResponse {
  _toNodeResponse(): { body: unknown };
}

/**
 * The bytes of a body known to be in memory (see {@link isInMemory}). srvx's Node `FastResponse`
 * still holds the string or bytes it was made from: they are taken as they are (reading them
 * through `arrayBuffer()` would stream them, about as costly as the serialisation itself). Read
 * the response's status and headers first: the response is used up.
 */
export async function bodyBytes(response: Response): Promise<Uint8Array> {
  const node = response as Partial<NodeFastResponse>;
  if (typeof node._toNodeResponse === "function") {
    const { body } = node._toNodeResponse();
    if (body === null || body === undefined) return new Uint8Array(0);
    if (typeof body === "string") return encoder.encode(body);
    if (body instanceof Uint8Array) return body;
    return new Uint8Array(await new Response(body as BodyInit).arrayBuffer());
  }
  return new Uint8Array(await response.arrayBuffer());
}

const encoder = new TextEncoder();

/** What a string body is sent as when nothing names its type (srvx and the runtimes add it on the way out). */
const IMPLICIT_TEXT_TYPE = "text/plain;charset=UTF-8";

/**
 * The response's `Content-Type`, or the one a string body gets implicitly when it has none: a
 * response rebuilt from its bytes must name it, and compression decides by it.
 */
export function contentTypeOf(response: Response, result: unknown): string | null {
  const declared = response.headers.get("content-type");
  if (declared !== null) return declared;
  const body = result instanceof HTTPResponse ? result.body : result;
  return typeof body === "string" ? IMPLICIT_TEXT_TYPE : null;
}
