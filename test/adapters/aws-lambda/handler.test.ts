import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, it, vi } from "vitest";
import { defineHandler, getQuery, parseCookies, setCookie } from "../../../src/h3.js";
import { defineCachedFunction } from "../../../src/cache/index.js";
import { toLambdaHandler, type LambdaEvent } from "../../../src/adapters/aws-lambda.js";
import { appsClosedAfterEach, sleep } from "../../helpers.js";

// Events shaped as AWS documents them (payload 1.0, 2.0, function URL, ALB), through the public entry point.
// The app's answers behind a function URL (routes, errors, body limit, storage, cache, SQLite, background
// work, tasks) are the shared runtime suite's: test/runtimes/aws-lambda.test.ts.
const createApp = appsClosedAfterEach();

function fixture(name: string, patch: Record<string, unknown> = {}): LambdaEvent {
  const event = JSON.parse(readFileSync(new URL(`../../fixtures/aws-lambda/${name}.json`, import.meta.url), "utf8")) as Record<string, unknown>;
  return { ...event, ...patch } as unknown as LambdaEvent;
}

/** An app answering with what it saw of the request. */
function echoApp() {
  const app = createApp();
  app.all("/**", defineHandler(async (event) => ({
    method: event.req.method,
    url: event.req.url,
    query: getQuery(event),
    header2: event.req.headers.get("header2"),
    cookies: parseCookies(event),
    body: event.req.method === "GET" ? undefined : await event.req.text(),
    ip: (event.req as { ip?: string }).ip,
    runtime: event.runtime?.name,
    requestId: (event.context.awsLambda as { event: { requestContext: { requestId?: string } } } | undefined)?.event.requestContext.requestId,
    lambdaContext: (event.runtime as { awsLambda?: { context?: { functionName?: string } } } | undefined)?.awsLambda?.context?.functionName,
  })));
  return app;
}

const lambdaContext = { functionName: "fn", awsRequestId: "req-1" };

describe("toLambdaHandler: requests in", () => {
  it("reads an API Gateway REST (v1) event: multi-value query and headers, text body, source IP", async () => {
    const result = await toLambdaHandler(echoApp())(fixture("rest-api-v1", { httpMethod: "POST" }), lambdaContext);
    expect(result).toMatchObject({ statusCode: 200, isBase64Encoded: false });
    expect(result.headers?.["content-type"]).toMatch(/application\/json/);
    expect(JSON.parse(result.body)).toEqual({
      method: "POST",
      url: "https://id.execute-api.us-east-1.amazonaws.com/my/path?parameter1=value1&parameter1=value2&parameter2=value",
      query: { parameter1: ["value1", "value2"], parameter2: "value" },
      header2: "value1, value2",
      cookies: {},
      body: "Hello from Lambda!",
      ip: "192.0.2.1",
      runtime: "aws-lambda",
      requestId: "id=",
      lambdaContext: "fn",
    });
  });

  it("reads a v1 event without multi-value maps and with null headers", async () => {
    const event = fixture("rest-api-v1", { headers: null, multiValueHeaders: null, multiValueQueryStringParameters: null, queryStringParameters: { q: "a b&c" }, body: null });
    const body = JSON.parse((await toLambdaHandler(echoApp())(event)).body);
    expect(body.url).toBe("https://id.execute-api.us-east-1.amazonaws.com/my/path?q=a+b%26c");
    expect(body.query).toEqual({ q: "a b&c" });
  });

  it("reads an HTTP API (v2) event: raw query, cookies array, comma-joined headers, requestContext.http", async () => {
    const body = JSON.parse((await toLambdaHandler(echoApp())(fixture("http-api-v2"))).body);
    expect(body).toMatchObject({
      method: "POST",
      url: "https://id.execute-api.us-east-1.amazonaws.com/my/path?parameter1=value1&parameter1=value2&parameter2=value",
      query: { parameter1: ["value1", "value2"], parameter2: "value" },
      header2: "value1,value2",
      cookies: { cookie1: "one", cookie2: "two" },
      body: "Hello from Lambda",
      ip: "192.0.2.1",
      requestId: "id",
    });
  });

  it("reads a Lambda function URL event", async () => {
    const body = JSON.parse((await toLambdaHandler(echoApp())(fixture("function-url"))).body);
    expect(body).toMatchObject({
      url: "https://abcdefg.lambda-url.us-west-2.on.aws/my/path?parameter1=value1&parameter1=value2&parameter2=value",
      cookies: { cookie1: "one", cookie2: "two" },
      body: "Hello from client!",
      ip: "123.123.123.123",
    });
  });

  it("reads an ALB event: query values as sent (still encoded), client IP from the hop ALB added", async () => {
    const result = await toLambdaHandler(echoApp())(fixture("alb"));
    const body = JSON.parse(result.body);
    expect(body.url).toBe("http://lambda-alb-123578498.us-east-1.elb.amazonaws.com/lambda?query=1234ABCD&q=a%20b");
    expect(body.query).toEqual({ query: "1234ABCD", q: "a b" });
    expect(body.ip).toBe("72.12.164.125");
    expect(result).toMatchObject({ statusCode: 200, statusDescription: "200 OK" });
  });

  it("decodes a base64 body (binary upload) byte for byte", async () => {
    const app = createApp();
    app.post("/upload", defineHandler(async (event) => {
      const bytes = new Uint8Array(await event.req.arrayBuffer());
      return { length: bytes.length, first: bytes[0], last: bytes.at(-1) };
    }));
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe, 0x10]);
    const event = fixture("http-api-v2", { rawPath: "/upload", body: bytes.toString("base64"), isBase64Encoded: true, headers: { "content-type": "application/octet-stream", host: "x.example" } });
    expect(JSON.parse((await toLambdaHandler(app)(event)).body)).toEqual({ length: 8, first: 0x89, last: 0x10 });
  });
});

describe("toLambdaHandler: responses out", () => {
  function cookieApp() {
    const app = createApp();
    app.get("/login", defineHandler((event) => {
      setCookie(event, "session", "abc", { httpOnly: true });
      setCookie(event, "theme", "dark");
      event.res.headers.set("x-custom", "yes");
      return "ok";
    }));
    return app;
  }

  it("puts several set-cookie headers in `cookies` for v2 and function URLs", async () => {
    for (const name of ["http-api-v2", "function-url"]) {
      const result = await toLambdaHandler(cookieApp())(fixture(name, { rawPath: "/login", requestContext: { ...(fixture(name).requestContext as object), http: { method: "GET", sourceIp: "1.2.3.4" } } }));
      expect(result.cookies).toEqual(["session=abc; Path=/; HttpOnly", "theme=dark; Path=/"]);
      expect(result.headers).toMatchObject({ "x-custom": "yes" });
      expect(result.headers).not.toHaveProperty("set-cookie");
      expect(result.multiValueHeaders).toBeUndefined();
    }
  });

  it("puts them in multiValueHeaders for REST (v1), and answers ALB with the header map it used", async () => {
    const v1 = await toLambdaHandler(cookieApp())(fixture("rest-api-v1", { path: "/login" }));
    expect(v1.multiValueHeaders).toEqual({ "set-cookie": ["session=abc; Path=/; HttpOnly", "theme=dark; Path=/"] });
    expect(v1.headers?.["x-custom"]).toBe("yes");
    expect(v1.cookies).toBeUndefined();

    const alb = fixture("alb", { path: "/login" }) as unknown as { headers: Record<string, string> };
    const multiValueHeaders = Object.fromEntries(Object.entries(alb.headers).map(([k, v]) => [k, [v]]));
    const albMulti = await toLambdaHandler(cookieApp())({ ...alb, headers: undefined, multiValueHeaders } as unknown as LambdaEvent);
    expect(albMulti.headers).toBeUndefined();
    expect(albMulti.multiValueHeaders).toMatchObject({ "set-cookie": ["session=abc; Path=/; HttpOnly", "theme=dark; Path=/"], "x-custom": ["yes"] });

    const albSingle = await toLambdaHandler(cookieApp())(alb as unknown as LambdaEvent);
    expect(albSingle.headers?.["set-cookie"]).toBe("theme=dark; Path=/");
  });

  it("base64-encodes binary and compressed bodies, keeps text and JSON as text", async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
    const app = createApp();
    app.get("/image", defineHandler(() => new Response(png, { headers: { "content-type": "image/png" } })));
    app.get("/gzip", defineHandler(() => new Response(gzipSync('{"a":1}'), { headers: { "content-type": "application/json", "content-encoding": "gzip" } })));
    app.get("/svg", defineHandler(() => new Response("<svg/>", { headers: { "content-type": "image/svg+xml" } })));
    app.get("/untyped", defineHandler(() => new Response(new Uint8Array([0xff, 0x00]))));
    app.get("/empty", defineHandler(() => new Response(null, { status: 204 })));
    const handler = toLambdaHandler(app);
    const get = (path: string) => handler(fixture("http-api-v2", { rawPath: path, rawQueryString: "", requestContext: { http: { method: "GET" } } }));

    const image = await get("/image");
    expect(image).toMatchObject({ isBase64Encoded: true, headers: { "content-type": "image/png" } });
    expect(Buffer.from(image.body, "base64").equals(png)).toBe(true);
    const gzip = await get("/gzip");
    expect(gzip.isBase64Encoded).toBe(true);
    expect(Buffer.from(gzip.body, "base64").equals(gzipSync('{"a":1}'))).toBe(true);
    expect(await get("/svg")).toMatchObject({ isBase64Encoded: false, body: "<svg/>" });
    expect((await get("/untyped")).isBase64Encoded).toBe(true);
    expect(await get("/empty")).toMatchObject({ statusCode: 204, body: "", isBase64Encoded: false });
  });
});

describe("toLambdaHandler: malformed events", () => {
  it("answers 400 with a JSON message, never throws", async () => {
    const handler = toLambdaHandler(echoApp());
    const bad: unknown[] = [
      null,
      "GET /",
      {},
      { Records: [{ eventSource: "aws:sqs", body: "{}" }] },
      { httpMethod: "GET" },
      { version: "2.0", rawPath: "/x", requestContext: {} },
      fixture("http-api-v2", { headers: { "bad header": "x" } }),
      fixture("rest-api-v1", { multiValueHeaders: null, headers: { host: "a b" } }),
    ];
    for (const event of bad) {
      const result = await handler(event as LambdaEvent);
      expect(result.statusCode, JSON.stringify(event)).toBe(400);
      expect(result.headers?.["content-type"]).toBe("application/json");
      const body = JSON.parse(result.body);
      expect(body.status).toBe(400);
      expect(body.message).toMatch(/Lambda event/);
    }
  });
});

describe("toLambdaHandler: background work", () => {
  it("awaits event.waitUntil work before resolving (Lambda freezes the instance after)", async () => {
    const app = createApp();
    const done: string[] = [];
    app.get("/later", defineHandler((event) => {
      event.waitUntil(sleep(50).then(() => done.push("first")).then(() => event.waitUntil(sleep(20).then(() => done.push("nested")))));
      return "answered";
    }));
    const result = await toLambdaHandler(app)(fixture("http-api-v2", { rawPath: "/later", requestContext: { http: { method: "GET" } } }));
    expect(result.body).toBe("answered");
    expect(done).toEqual(["first", "nested"]);
  });

  it("logs failed background work and still answers", async () => {
    const app = createApp();
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    app.get("/fails", defineHandler((event) => (event.waitUntil(Promise.reject(new Error("boom"))), "ok")));
    const result = await toLambdaHandler(app)(fixture("http-api-v2", { rawPath: "/fails", requestContext: { http: { method: "GET" } } }));
    expect(result).toMatchObject({ statusCode: 200, body: "ok" });
    expect(error).toHaveBeenCalledWith(expect.stringContaining("waitUntil"), expect.any(Error));
  });

  it("finishes a stale-while-revalidate refresh before the invocation resolves", async () => {
    const app = createApp();
    let version = 0;
    const value = defineCachedFunction(async () => {
      await sleep(100);
      return ++version;
    }, { name: "lambda-swr", maxAge: 1, staleMaxAge: 60, swr: true });
    app.get("/v", defineHandler(async () => ({ v: await value() })));
    const handler = toLambdaHandler(app);
    const get = async () => JSON.parse((await handler(fixture("http-api-v2", { rawPath: "/v", requestContext: { http: { method: "GET" } } }))).body);
    expect(await get()).toEqual({ v: 1 });
    await sleep(1100);
    expect(await get()).toEqual({ v: 1 }); // stale, served at once…
    expect(version).toBe(2); // …and refreshed before the handler resolved
    expect(await get()).toEqual({ v: 2 });
  });
});
