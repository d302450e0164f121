import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { afterEach, describe, expect, it } from "vitest";
import { createNitroApp, type NitroApp } from "nitrokit";
import { defineHandler } from "nitrokit/h3";
import { registerContextAndPropagator } from "./otel-setup.js";

/** What an OTLP/HTTP collector receives (JSON encoding), as far as the test reads it. */
interface ExportRequest {
  resourceSpans: Array<{
    scopeSpans: Array<{
      scope: { name: string };
      spans: Array<{ name: string; traceId: string; spanId: string; parentSpanId?: string; kind: number; attributes: Array<{ key: string; value: Record<string, unknown> }> }>;
    }>;
  }>;
}

/** A collector stand-in on loopback: it accepts OTLP/HTTP JSON posts to /v1/traces and keeps what they carry. */
async function startCollector(): Promise<{ server: Server; url: string; received: ExportRequest[]; contentTypes: string[] }> {
  const received: ExportRequest[] = [];
  const contentTypes: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/traces") {
        res.writeHead(404).end();
        return;
      }
      contentTypes.push(req.headers["content-type"] ?? "");
      received.push(JSON.parse(Buffer.concat(chunks).toString("utf8")) as ExportRequest);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, received, contentTypes };
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe("tracing: export over OTLP/HTTP", () => {
  it("sends a request's spans to a collector with the OTLP exporter from npm", async () => {
    registerContextAndPropagator();
    const collector = await startCollector();
    closers.push(() => new Promise((resolve) => collector.server.close(() => resolve())));
    const provider = new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: collector.url }) })] });
    closers.push(() => provider.shutdown());

    const app: NitroApp = createNitroApp({ tracing: { tracerProvider: provider } });
    closers.push(() => app.close());
    app.get("/orders/:id", defineHandler((event) => ({ id: event.context.params!.id })));
    const response = await app.fetch(new Request("http://localhost/orders/42"));
    expect(await response.json()).toEqual({ id: "42" });
    await provider.forceFlush();

    expect(collector.contentTypes[0]).toBe("application/json");
    const spans = collector.received.flatMap((request) => request.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans.map((span) => ({ ...span, scope: scope.scope.name })))));
    const server = spans.find((span) => span.name === "GET /orders/:id");
    const handler = spans.find((span) => span.name === "handler GET /orders/:id");
    expect(server, `received: ${spans.map((span) => span.name).join(", ")}`).toBeDefined();
    expect(server!.scope).toBe("nitrokit");
    expect(server!.kind).toBe(2); // SPAN_KIND_SERVER in OTLP's numbering
    const attribute = (key: string) => server!.attributes.find((entry) => entry.key === key)?.value;
    expect(attribute("http.route")).toEqual({ stringValue: "/orders/:id" });
    expect(attribute("http.request.method")).toEqual({ stringValue: "GET" });
    expect(attribute("http.response.status_code")).toEqual({ intValue: 200 });
    expect(handler!.traceId).toBe(server!.traceId);
    expect(handler!.parentSpanId).toBe(server!.spanId);
  });
});
