/**
 * The parts of the Lambda event shapes nitrokit reads. Declared here rather than
 * taken from `@types/aws-lambda`, so the entry point needs no type package.
 */

/** API Gateway REST API (payload v1) and Application Load Balancer events. */
export interface LambdaEventV1 {
  version?: "1.0";
  httpMethod: string;
  path: string;
  headers?: Record<string, string | undefined> | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext?: {
    domainName?: string;
    identity?: { sourceIp?: string };
    /** Present on ALB events only. */
    elb?: { targetGroupArn: string };
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** API Gateway HTTP API (payload v2) and Lambda function URL events. */
export interface LambdaEventV2 {
  version: "2.0";
  rawPath: string;
  rawQueryString?: string;
  cookies?: string[];
  headers?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext: {
    domainName?: string;
    http: { method: string; path?: string; sourceIp?: string };
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** Any event `toLambdaHandler()` accepts. */
export type LambdaEvent = LambdaEventV1 | LambdaEventV2;

/** The Lambda context object (the fields nitrokit passes on; the rest is kept as given). */
export interface LambdaContext {
  awsRequestId?: string;
  functionName?: string;
  getRemainingTimeInMillis?(): number;
  [key: string]: unknown;
}

/** What the handler resolves to: API Gateway v1/v2, function URL and ALB read this shape. */
export interface LambdaResult {
  statusCode: number;
  /** ALB only: the status line's text. */
  statusDescription?: string;
  headers?: Record<string, string>;
  /** v1 and ALB with multi-value headers on. */
  multiValueHeaders?: Record<string, string[]>;
  /** v2 and function URLs: one entry per `set-cookie`. */
  cookies?: string[];
  body: string;
  isBase64Encoded: boolean;
}

/** `event.runtime.awsLambda` and `event.context.awsLambda` in handlers. */
export interface AwsLambdaRuntime {
  event: LambdaEvent;
  context: LambdaContext | undefined;
}
