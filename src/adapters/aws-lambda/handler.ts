import type { H3EventContext } from "h3";
import { assertNitroApp } from "../../app/is-app.js";
import type { NitroApp } from "../../types/app.js";
import { scopeEveryRequestFromNowOn } from "../../app/context.js";
import { decorateRequest, PendingWork } from "../shared/request.js";
import { eventClientIP, eventKind, eventToRequest, MalformedEventError } from "./request.js";
import { responseToResult } from "./response.js";
import type { AwsLambdaRuntime, LambdaContext, LambdaEvent, LambdaResult } from "./types.js";

/** The function `toLambdaHandler()` returns: set it as the Lambda's handler. */
export type LambdaHandler = (event: LambdaEvent, context?: LambdaContext) => Promise<LambdaResult>;

/**
 * The app as an AWS Lambda handler, for API Gateway REST APIs (payload 1.0), HTTP APIs
 * (payload 2.0), function URLs and Application Load Balancers.
 *
 * - In: method, path, query (multi-value too), headers (multi-value, `cookies`), text
 *   and base64 bodies. Handlers get `event.runtime.awsLambda` and
 *   `event.context.awsLambda` = `{ event, context }`.
 * - Out: status, headers, `set-cookie` as `cookies` (v2) or `multiValueHeaders` (v1),
 *   bodies base64-encoded unless textual and uncompressed.
 * - Background work (`event.waitUntil()`, stale-while-revalidate refreshes) is awaited
 *   before the handler resolves: Lambda freezes the instance once it has, and work left
 *   running would be lost or resumed in a later invocation.
 * - An event that is not an HTTP event answers 400 (JSON `{ status, message }`); the
 *   invocation never throws. Scheduled tasks arm no timers: trigger them with
 *   EventBridge and `app.runTask()`.
 *
 * @example
 * import { toLambdaHandler } from "nitrokit/aws-lambda";
 * import { app } from "./app.js";
 * export const handler = toLambdaHandler(app);
 */
export function toLambdaHandler(app: NitroApp): LambdaHandler {
  assertNitroApp(app, "toLambdaHandler(app)");
  app["~scheduleExternally"]();
  // One request per instance at a time: scoping each costs little and lets SWR refreshes reach waitUntil.
  scopeEveryRequestFromNowOn();
  return async (event, context) => {
    let kind;
    let request: Request;
    try {
      kind = eventKind(event);
      request = eventToRequest(event, kind);
    } catch (error) {
      if (!(error instanceof MalformedEventError)) throw error;
      return errorResult(400, error.message);
    }
    const pending = new PendingWork();
    const awsLambda: AwsLambdaRuntime = { event, context };
    const ip = eventClientIP(event, kind, request);
    const decorated = decorateRequest(request, { name: "aws-lambda", awsLambda } as never, () => ip, pending.waitUntil);
    try {
      const response = await app.fetch(decorated, { awsLambda } as unknown as H3EventContext);
      return await responseToResult(response, kind);
    } catch (error) {
      // app.fetch answers its own errors; this is a body stream failing midway, or worse.
      console.error("[nitrokit] aws-lambda: the response could not be sent:", error);
      return errorResult(500, "Internal Server Error");
    } finally {
      await pending.settled();
    }
  };
}

function errorResult(status: number, message: string): LambdaResult {
  return {
    statusCode: status,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ error: true, status, message }),
    isBase64Encoded: false,
  };
}
