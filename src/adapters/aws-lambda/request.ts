import { Buffer } from "node:buffer";
import type { LambdaEvent, LambdaEventV1, LambdaEventV2 } from "./types.js";

/** A Lambda event that cannot be read as an HTTP request; answered with a 400. */
export class MalformedEventError extends Error {}

/** Which shape an event is, decided once and used for both directions. */
export type EventKind = "v1" | "v2" | "alb" | "alb-multi";

/**
 * The kind of an HTTP event, or a {@link MalformedEventError} naming what is missing
 * (a direct `invoke`, an SQS message, a test event from the console, …).
 */
export function eventKind(event: unknown): EventKind {
  if (event === null || typeof event !== "object") throw new MalformedEventError("The Lambda event is not an object.");
  const e = event as Partial<LambdaEventV1> & Partial<LambdaEventV2>;
  if (e.version === "2.0" || (e.requestContext as LambdaEventV2["requestContext"] | undefined)?.http) {
    if (typeof e.rawPath !== "string" || typeof (e.requestContext as LambdaEventV2["requestContext"] | undefined)?.http?.method !== "string") {
      throw new MalformedEventError("The Lambda event (payload 2.0) has no rawPath or requestContext.http.method.");
    }
    return "v2";
  }
  if (typeof e.httpMethod !== "string" || typeof e.path !== "string") {
    throw new MalformedEventError("The Lambda event is not an HTTP event: expected API Gateway (httpMethod and path, or version 2.0), a function URL or ALB event.");
  }
  if (e.requestContext?.elb) return e.multiValueHeaders ? "alb-multi" : "alb";
  return "v1";
}

/** The `Request` an HTTP event describes. Throws {@link MalformedEventError} on values a URL or header cannot carry. */
export function eventToRequest(event: LambdaEvent, kind: EventKind): Request {
  const headers = kind === "v2" ? headersV2(event as LambdaEventV2) : headersV1(event as LambdaEventV1);
  const method = (kind === "v2" ? (event as LambdaEventV2).requestContext.http.method : (event as LambdaEventV1).httpMethod).toUpperCase();
  const path = kind === "v2" ? (event as LambdaEventV2).rawPath : (event as LambdaEventV1).path;
  const query = kind === "v2" ? ((event as LambdaEventV2).rawQueryString ?? "") : queryV1(event as LambdaEventV1, kind !== "v1");
  const host = headers.get("host") ?? event.requestContext?.domainName ?? "localhost";
  const protocol = headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "http" ? "http" : "https";
  let url: URL;
  try {
    url = new URL(`${protocol}://${host}${path.startsWith("/") ? path : `/${path}`}${query ? `?${query}` : ""}`);
  } catch {
    throw new MalformedEventError(`The Lambda event's host or path does not form a URL: '${host}', '${path}'.`);
  }
  const hasBody = event.body != null && event.body !== "" && method !== "GET" && method !== "HEAD";
  const body = hasBody ? (event.isBase64Encoded ? Buffer.from(event.body!, "base64") : event.body!) : undefined;
  return new Request(url, { method, headers, body });
}

/** The client address: API Gateway's source IP, or the last hop ALB appended to `x-forwarded-for`. */
export function eventClientIP(event: LambdaEvent, kind: EventKind, request: Request): string | undefined {
  if (kind === "v2") return (event as LambdaEventV2).requestContext.http.sourceIp;
  if (kind === "v1") return (event as LambdaEventV1).requestContext?.identity?.sourceIp;
  return request.headers.get("x-forwarded-for")?.split(",").pop()?.trim() || undefined;
}

function headersV2(event: LambdaEventV2): Headers {
  const headers = toHeaders(Object.entries(event.headers ?? {}).map(([name, value]) => [name, [value]]));
  // HTTP API moves the Cookie header into `cookies`, one entry per pair.
  if (event.cookies?.length) headers.set("cookie", event.cookies.join("; "));
  return headers;
}

function headersV1(event: LambdaEventV1): Headers {
  // With multi-value headers on, that map holds every value; `headers` keeps only the last of each.
  if (event.multiValueHeaders) return toHeaders(Object.entries(event.multiValueHeaders));
  return toHeaders(Object.entries(event.headers ?? {}).map(([name, value]) => [name, [value]]));
}

function toHeaders(entries: [string, (string | undefined)[] | undefined][]): Headers {
  const headers = new Headers();
  for (const [name, values] of entries) {
    for (const value of values ?? []) {
      if (value === undefined) continue;
      try {
        headers.append(name, value);
      } catch {
        throw new MalformedEventError(`The Lambda event has an invalid header: '${name}'.`);
      }
    }
  }
  return headers;
}

/**
 * API Gateway v1 hands query values decoded; ALB hands them as the client sent them
 * (still percent-encoded), so those are joined as they are.
 */
function queryV1(event: LambdaEventV1, raw: boolean): string {
  const multi = event.multiValueQueryStringParameters;
  const entries: [string, string][] = multi
    ? Object.entries(multi).flatMap(([key, values]) => (values ?? []).map((value): [string, string] => [key, value]))
    : Object.entries(event.queryStringParameters ?? {}).flatMap(([key, value]) => (value === undefined ? [] : [[key, value] as [string, string]]));
  if (raw) return entries.map(([key, value]) => `${key}=${value}`).join("&");
  return new URLSearchParams(entries).toString();
}
