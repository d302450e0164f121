// For bench/cold-start.mjs: imports a module exporting a Lambda `handler`, invokes it once with an
// API Gateway HTTP API (payload 2.0) event for GET /api/hello, and prints the result as one JSON line.
import { pathToFileURL } from "node:url";

const { handler } = await import(pathToFileURL(process.argv[2]).href);
const event = {
  version: "2.0",
  routeKey: "$default",
  rawPath: "/api/hello",
  rawQueryString: "",
  headers: { host: "example.execute-api.us-east-1.amazonaws.com", accept: "application/json" },
  requestContext: {
    accountId: "123456789012",
    apiId: "example",
    domainName: "example.execute-api.us-east-1.amazonaws.com",
    http: { method: "GET", path: "/api/hello", protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "bench" },
    requestId: "bench",
    routeKey: "$default",
    stage: "$default",
    time: new Date().toUTCString(),
    timeEpoch: Date.now(),
  },
  isBase64Encoded: false,
};
const context = { awsRequestId: "bench", functionName: "bench", getRemainingTimeInMillis: () => 30_000 };
const result = await handler(event, context);
process.stdout.write(`${JSON.stringify(result)}\n`);
