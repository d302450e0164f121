import type { Writable } from "node:stream";
import type { H3EventContext } from "h3";
import { assertNitroApp } from "../../app/is-app.js";
import type { NitroApp } from "../../types/app.js";
import { scopeEveryRequestFromNowOn } from "../../app/context.js";
import { decorateRequest, PendingWork } from "../shared/request.js";
import { eventClientIP, eventKind, eventToRequest, MalformedEventError } from "./request.js";
import type { AwsLambdaRuntime, LambdaContext, LambdaEvent } from "./types.js";

/** The prelude Lambda sends before a streamed body: status, headers, cookies. */
export interface LambdaStreamMetadata {
  statusCode: number;
  headers: Record<string, string>;
  cookies?: string[];
}

/** The `awslambda` global the Lambda Node.js runtime provides for response streaming. */
export interface AwsLambdaGlobal {
  streamifyResponse(handler: (event: LambdaEvent, responseStream: Writable, context?: LambdaContext) => Promise<void>): unknown;
  HttpResponseStream: { from(responseStream: Writable, metadata: LambdaStreamMetadata): Writable };
}

/**
 * The app as a Lambda handler with response streaming (function URLs with
 * `InvokeMode: RESPONSE_STREAM`, payload 2.0): the body is written as the app produces
 * it (SSE, large files) instead of buffered and base64-encoded. Requests are read as
 * by {@link toLambdaHandler}; background work is awaited after the stream ends, and a
 * malformed event answers 400. Needs the Lambda runtime's `awslambda` global.
 *
 * @example
 * import { toLambdaStreamingHandler } from "nitrokit/aws-lambda";
 * export const handler = toLambdaStreamingHandler(app);
 */
export function toLambdaStreamingHandler(app: NitroApp, awslambda = (globalThis as { awslambda?: AwsLambdaGlobal }).awslambda): unknown {
  if (!awslambda) throw new Error("[nitrokit] toLambdaStreamingHandler(): no `awslambda` global; response streaming needs the AWS Lambda Node.js runtime.");
  assertNitroApp(app, "toLambdaStreamingHandler(app)");
  app["~scheduleExternally"]();
  scopeEveryRequestFromNowOn();
  return awslambda.streamifyResponse(async (event, responseStream, context) => {
    let response: Response;
    const pending = new PendingWork();
    try {
      const kind = eventKind(event);
      const request = eventToRequest(event, kind);
      const awsLambda: AwsLambdaRuntime = { event, context };
      const ip = eventClientIP(event, kind, request);
      response = await app.fetch(decorateRequest(request, { name: "aws-lambda", awsLambda } as never, () => ip, pending.waitUntil), { awsLambda } as unknown as H3EventContext);
    } catch (error) {
      if (!(error instanceof MalformedEventError)) throw error;
      response = Response.json({ error: true, status: 400, message: error.message }, { status: 400 });
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of response.headers) if (name !== "set-cookie") headers[name] = value;
    const cookies = response.headers.getSetCookie();
    const stream = awslambda.HttpResponseStream.from(responseStream, { statusCode: response.status, headers, ...(cookies.length > 0 ? { cookies } : {}) });
    try {
      if (response.body) for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) await write(stream, chunk);
    } catch (error) {
      console.error("[nitrokit] aws-lambda: the response stream failed midway:", error);
    } finally {
      stream.end();
      await pending.settled();
    }
  });
}

/** Writes a chunk, waiting for `drain` when the stream asks for it. */
function write(stream: Writable, chunk: Uint8Array): Promise<void> {
  if (stream.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      stream.off("drain", done);
      stream.off("error", done);
      if (error) reject(error);
      else resolve();
    };
    stream.once("drain", done);
    stream.once("error", done);
    stream.once("close", () => done(new Error("The response stream closed before it drained.")));
  });
}
