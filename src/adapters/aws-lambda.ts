/**
 * `nitrokit/aws-lambda`: the app as an AWS Lambda handler for API Gateway (REST and
 * HTTP APIs), function URLs and ALB (`export const handler = toLambdaHandler(app)`).
 * @module
 */
export { toLambdaHandler } from "./aws-lambda/handler.js";
export type { LambdaHandler } from "./aws-lambda/handler.js";
export { toLambdaStreamingHandler } from "./aws-lambda/streaming.js";
export type { AwsLambdaGlobal, LambdaStreamMetadata } from "./aws-lambda/streaming.js";
export type { AwsLambdaRuntime, LambdaContext, LambdaEvent, LambdaEventV1, LambdaEventV2, LambdaResult } from "./aws-lambda/types.js";
