import { Buffer } from "node:buffer";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { format } from "node:util";
import { vi } from "vitest";
import type { NitroApp, NitroConfig } from "nitrokit";
import { toLambdaHandler, type LambdaContext, type LambdaEventV2, type LambdaResult } from "nitrokit/aws-lambda";
import { toNetlifyHandler, type NetlifyContext } from "nitrokit/netlify";
// @ts-expect-error: the example is plain JavaScript, as a user would write it.
import { createPortableApp as createPortableAppJs } from "../../examples/portable/app.mjs";
import type { RunningRuntime, RuntimeTarget } from "./target.js";

// In-process targets: the portable example behind a platform's handler, called the way the
// platform calls it (a Lambda event in, a Lambda result out; Netlify's (request, context)),
// on the test's own Node and without a port.

const createPortableApp = createPortableAppJs as (config?: NitroConfig) => NitroApp;

/** The client address the platform reports (API Gateway's sourceIp, Netlify's context.ip). */
const CLIENT_IP = "203.0.113.9";

/** A platform's way into the app: the request as the platform delivers it, the response as the client gets it. */
interface PlatformHandler {
  fetch(request: Request): Promise<Response>;
  /** Resolves once the background work the platform was asked to keep alive has settled. */
  settled(): Promise<unknown>;
}

interface InProcessOptions {
  name: "aws-lambda" | "netlify";
  label: string;
  /** The site's address, as requests reach the function. */
  origin: string;
  unsupported: NonNullable<RuntimeTarget["unsupported"]>;
  /** Wraps the app in the platform's handler (before `ready()`, as a deployed module does at import). */
  handle(app: NitroApp): PlatformHandler;
}

function inProcessTarget(options: InProcessOptions): RuntimeTarget {
  return {
    name: options.name,
    label: options.label,
    runtime: "node",
    unsupported: options.unsupported,
    missing: () => undefined,
    async start(env) {
      // The platform's environment variables are the process's; restored when the target ends.
      const savedEnv = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
      Object.assign(process.env, env);
      // Its own root (so `.data/` starts empty), as a function's writable /tmp.
      const rootDir = mkdtempSync(join(tmpdir(), `nitrokit-${options.name}-`));
      const app = createPortableApp({ rootDir });
      // What the function prints goes to its log (CloudWatch, Netlify's function log), not the test's output.
      const printed: string[] = [];
      const print = (...args: unknown[]) => void printed.push(`${format(...args)}\n`);
      const consoleSpies = [vi.spyOn(console, "error").mockImplementation(print), vi.spyOn(console, "warn").mockImplementation(print)];
      const platform = options.handle(app);

      let ended: Promise<void> | undefined;
      const end = () =>
        (ended ??= (async () => {
          try {
            await platform.settled();
            await app.close();
          } finally {
            for (const spy of consoleSpies) spy.mockRestore();
            rmSync(rootDir, { recursive: true, force: true });
            for (const [key, value] of Object.entries(savedEnv)) {
              if (value === undefined) delete process.env[key];
              else process.env[key] = value;
            }
          }
        })());
      try {
        await app.ready();
      } catch (error) {
        await end();
        throw error;
      }
      const running: RunningRuntime = {
        fetch: (path, init) => platform.fetch(new Request(new URL(path, options.origin), init)),
        log: () => printed.join(""),
        async stop() {
          await end();
          return { code: 0, signal: null };
        },
        kill: end,
      };
      return running;
    },
  };
}

/** Content types a function URL passes as text; any other body arrives base64-encoded. */
const TEXT_BODY = /^(text\/|application\/(json|xml|x-www-form-urlencoded|javascript)\b)|\+(json|xml)\b/i;

/** The event a Lambda function URL (payload 2.0) sends for `request`: JSON, as Lambda delivers it. */
async function functionUrlEvent(request: Request, requestId: string): Promise<LambdaEventV2> {
  const url = new URL(request.url);
  const bytes = Buffer.from(await request.arrayBuffer());
  const headers: Record<string, string> = { host: url.host, "x-forwarded-proto": "https", "x-forwarded-port": "443", "x-forwarded-for": CLIENT_IP };
  // The function URL moves Cookie into `cookies`, one entry per pair.
  for (const [name, value] of request.headers) if (name !== "cookie") headers[name] = value;
  if (bytes.length > 0) headers["content-length"] = String(bytes.length);
  const cookies = request.headers.get("cookie")?.split(";").map((pair) => pair.trim()).filter(Boolean) ?? [];
  const query: Record<string, string> = {};
  // Repeated keys are comma-joined here; `rawQueryString` keeps them apart (the adapter reads that).
  for (const [key, value] of url.searchParams) query[key] = key in query ? `${query[key]},${value}` : value;
  const text = TEXT_BODY.test(request.headers.get("content-type") ?? "");
  const http = { method: request.method, path: url.pathname, protocol: "HTTP/1.1", sourceIp: CLIENT_IP, userAgent: request.headers.get("user-agent") ?? "" };
  const event: LambdaEventV2 = {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(url.search ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: "anonymous",
      apiId: "portable",
      domainName: url.host,
      domainPrefix: url.host.split(".")[0],
      http,
      requestId,
      routeKey: "$default",
      stage: "$default",
      timeEpoch: Date.now(),
    },
    ...(bytes.length > 0 ? { body: text ? bytes.toString("utf8") : bytes.toString("base64") } : {}),
    isBase64Encoded: bytes.length > 0 && !text,
  };
  return JSON.parse(JSON.stringify(event)) as LambdaEventV2;
}

/** The response a function URL sends for a payload 2.0 result: `cookies` become set-cookie headers, base64 bodies bytes. */
function resultToResponse(result: LambdaResult): Response {
  const headers = new Headers(result.headers);
  for (const cookie of result.cookies ?? []) headers.append("set-cookie", cookie);
  const body = result.body === "" ? null : result.isBase64Encoded ? Buffer.from(result.body, "base64") : result.body;
  return new Response(body, { status: result.statusCode, headers });
}

/**
 * `nitrokit/aws-lambda` behind a function URL: each request becomes a payload 2.0 event
 * (text or base64 body, cookies array), the result goes back through JSON as Lambda
 * serialises it, and becomes the response the client gets.
 */
export const lambdaTarget = inProcessTarget({
  name: "aws-lambda",
  label: "aws-lambda (in-process: function URL events)",
  origin: "https://portable.lambda-url.us-east-1.on.aws",
  unsupported: {
    socket: "the function URL buffers the request (6 MB at most) before Lambda invokes the handler with an event",
    websocket: "toLambdaHandler serves HTTP events; API Gateway WebSocket APIs invoke with a different event type",
    scheduler: "Lambda freezes the instance between invocations, so the app arms no timers; an EventBridge rule invokes app.runTask() (the on-demand case)",
    shutdown: "there is no server to stop; each invocation awaits its background work before it resolves",
  },
  handle(app) {
    const handler = toLambdaHandler(app);
    let invocations = 0;
    return {
      async fetch(request) {
        const requestId = `portable-${++invocations}`;
        const context: LambdaContext = { awsRequestId: requestId, functionName: "portable", getRemainingTimeInMillis: () => 30_000 };
        const result = await handler(await functionUrlEvent(request, requestId), context);
        return resultToResponse(JSON.parse(JSON.stringify(result)) as LambdaResult);
      },
      // Nothing outlives an invocation: the handler awaited its background work before resolving.
      settled: async () => undefined,
    };
  },
});

/**
 * `nitrokit/netlify` as a Netlify Function (v2): the request with the headers Netlify adds,
 * and a context whose `waitUntil` keeps background work alive (awaited when the target stops).
 */
export const netlifyTarget = inProcessTarget({
  name: "netlify",
  label: "netlify (in-process: Functions v2)",
  origin: "https://portable.netlify.app",
  unsupported: {
    socket: "Netlify's edge receives the request; the function is handed a Request",
    websocket: "Netlify Functions do not accept WebSocket upgrades",
    scheduler: "a function instance lives for one request; Netlify Scheduled Functions would call app.runTask() (the on-demand case)",
    shutdown: "there is no server to stop; Netlify ends the function after the response and its waitUntil work",
  },
  handle(app) {
    const handler = toNetlifyHandler(app);
    const background = new Set<Promise<unknown>>();
    let invocations = 0;
    return {
      fetch(request) {
        const requestId = `portable-${++invocations}`;
        const headers = new Headers(request.headers);
        headers.set("x-nf-client-connection-ip", CLIENT_IP);
        headers.set("x-nf-request-id", requestId);
        const context: NetlifyContext = {
          ip: CLIENT_IP,
          requestId,
          site: { id: "portable", name: "portable", url: "https://portable.netlify.app" },
          waitUntil(promise) {
            const tracked = promise.catch(() => {}).finally(() => background.delete(tracked));
            background.add(tracked);
          },
        };
        return handler(new Request(request, { headers }), context);
      },
      settled: () => Promise.all([...background]),
    };
  },
});
