import { Buffer } from "node:buffer";
import { STATUS_CODES } from "node:http";
import type { EventKind } from "./request.js";
import type { LambdaResult } from "./types.js";

const TEXT_TYPE = /^(text\/|application\/(json|javascript|xml|x-www-form-urlencoded|graphql)|image\/svg\+xml)|\+(json|xml)$/i;

/**
 * The result Lambda expects for `response`, in the event's own shape: `cookies` for
 * payload 2.0 and function URLs, `multiValueHeaders` for `set-cookie` on REST APIs,
 * and only the header map ALB asked for. Bodies go out as text when the content type
 * is textual and not compressed, base64 otherwise (images, archives, gzip, …).
 */
export async function responseToResult(response: Response, kind: EventKind): Promise<LambdaResult> {
  const bytes = Buffer.from(await response.arrayBuffer());
  const binary = bytes.length > 0 && isBinary(response.headers, bytes);
  const body = binary ? bytes.toString("base64") : bytes.toString("utf8");
  const cookies = response.headers.getSetCookie();
  const headers: Record<string, string> = {};
  for (const [name, value] of response.headers) if (name !== "set-cookie") headers[name] = value;

  const result: LambdaResult = { statusCode: response.status, body, isBase64Encoded: binary };
  if (kind === "v2") {
    result.headers = headers;
    if (cookies.length > 0) result.cookies = cookies;
  } else if (kind === "alb-multi") {
    // ALB answers with the map its request used; with multi-value on, only that one.
    result.multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]));
    if (cookies.length > 0) result.multiValueHeaders["set-cookie"] = cookies;
  } else {
    result.headers = headers;
    if (kind === "v1" && cookies.length > 0) result.multiValueHeaders = { "set-cookie": cookies };
    // ALB without multi-value headers carries one value per name: the last cookie wins (turn multi-value on for more).
    else if (cookies.length > 0) headers["set-cookie"] = cookies.at(-1)!;
  }
  if (kind === "alb" || kind === "alb-multi") result.statusDescription = `${response.status} ${response.statusText || STATUS_CODES[response.status] || ""}`.trim();
  return result;
}

function isBinary(headers: Headers, bytes: Buffer): boolean {
  const encoding = headers.get("content-encoding");
  if (encoding && encoding !== "identity") return true;
  const type = headers.get("content-type")?.split(";")[0]?.trim();
  if (type) return !TEXT_TYPE.test(type);
  // No type: text when the bytes are valid UTF-8.
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return false;
  } catch {
    return true;
  }
}
