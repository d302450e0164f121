import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { defineHandler, setCookie } from "../../../src/h3.js";
import { toLambdaStreamingHandler, type AwsLambdaGlobal, type LambdaEvent, type LambdaStreamMetadata } from "../../../src/adapters/aws-lambda.js";
import { appsClosedAfterEach, sleep } from "../../helpers.js";

// Response streaming against a stand-in for the runtime's `awslambda` global, as documented:
// streamifyResponse(handler) and HttpResponseStream.from(responseStream, { statusCode, headers, cookies }).
const createApp = appsClosedAfterEach();

function fakeAwsLambda() {
  const sent: { metadata?: LambdaStreamMetadata; chunks: string[]; ended: boolean; endedAt?: number } = { chunks: [], ended: false };
  const awslambda: AwsLambdaGlobal = {
    streamifyResponse: (handler) => handler,
    HttpResponseStream: {
      from(responseStream, metadata) {
        sent.metadata = metadata;
        return responseStream;
      },
    },
  };
  const responseStream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      sent.chunks.push(chunk.toString("utf8"));
      callback();
    },
    final(callback) {
      sent.ended = true;
      sent.endedAt = Date.now();
      callback();
    },
  });
  return { awslambda, responseStream, sent };
}

type StreamingHandler = (event: LambdaEvent, stream: Writable, context?: unknown) => Promise<void>;

function functionUrlEvent(path: string): LambdaEvent {
  const event = JSON.parse(readFileSync(new URL("../../fixtures/aws-lambda/function-url.json", import.meta.url), "utf8"));
  return { ...event, rawPath: path, rawQueryString: "", body: undefined, requestContext: { ...event.requestContext, http: { ...event.requestContext.http, method: "GET" } } };
}

describe("toLambdaStreamingHandler", () => {
  it("streams the body chunk by chunk after a prelude with status, headers and cookies", async () => {
    const app = createApp();
    app.get("/events", defineHandler((event) => {
      setCookie(event, "a", "1");
      setCookie(event, "b", "2");
      const encoder = new TextEncoder();
      const body = new ReadableStream({
        async start(controller) {
          controller.enqueue(encoder.encode("data: one\n\n"));
          await sleep(20);
          controller.enqueue(encoder.encode("data: two\n\n"));
          controller.close();
        },
      });
      return new Response(body, { status: 201, headers: { "content-type": "text/event-stream" } });
    }));
    const { awslambda, responseStream, sent } = fakeAwsLambda();
    const handler = toLambdaStreamingHandler(app, awslambda) as StreamingHandler;
    await handler(functionUrlEvent("/events"), responseStream);
    expect(sent.metadata).toEqual({ statusCode: 201, headers: expect.objectContaining({ "content-type": "text/event-stream" }), cookies: ["a=1; Path=/", "b=2; Path=/"] });
    expect(sent.chunks).toEqual(["data: one\n\n", "data: two\n\n"]);
    expect(sent.ended).toBe(true);
  });

  it("awaits background work before the invocation resolves", async () => {
    const app = createApp();
    let finished = false;
    app.get("/later", defineHandler((event) => (event.waitUntil(sleep(40).then(() => (finished = true))), "ok")));
    const { awslambda, responseStream, sent } = fakeAwsLambda();
    await (toLambdaStreamingHandler(app, awslambda) as StreamingHandler)(functionUrlEvent("/later"), responseStream);
    expect(sent.chunks.join("")).toBe("ok");
    expect(finished).toBe(true);
  });

  it("answers a malformed event with a streamed 400 JSON, without throwing", async () => {
    const { awslambda, responseStream, sent } = fakeAwsLambda();
    await (toLambdaStreamingHandler(createApp(), awslambda) as StreamingHandler)({ Records: [] } as unknown as LambdaEvent, responseStream);
    expect(sent.metadata?.statusCode).toBe(400);
    expect(JSON.parse(sent.chunks.join(""))).toMatchObject({ status: 400, message: expect.stringMatching(/Lambda event/) });
  });

  it("says what is missing outside the Lambda runtime", () => {
    expect(() => toLambdaStreamingHandler(createApp())).toThrow(/no `awslambda` global/);
  });
});
