/**
 * OpenTelemetry as an app would set it up, for the tracing tests: an AsyncLocalStorage
 * context manager and the W3C propagator, registered once for the test file, and a tracer
 * provider per test whose spans land in an in-memory exporter.
 */
import { context, propagation } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace";

let registered = false;

export function registerContextAndPropagator(): void {
  if (registered) return;
  registered = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

export function inMemoryTracing(): { provider: TracerProvider; exporter: InMemorySpanExporter } {
  registerContextAndPropagator();
  const exporter = new InMemorySpanExporter();
  return { provider: providerFor(exporter), exporter };
}

export function providerFor(exporter: SpanExporter): TracerProvider {
  return new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
}

/** The span tree of one trace, as indented `name` lines: the shape a reader of a trace view sees. */
export function spanTree(spans: readonly ReadableSpan[], traceId: string): string[] {
  const inTrace = spans.filter((span) => span.spanContext().traceId === traceId);
  const children = new Map<string | undefined, ReadableSpan[]>();
  const ids = new Set(inTrace.map((span) => span.spanContext().spanId));
  for (const span of inTrace) {
    const parent = span.parentSpanContext?.spanId;
    const key = parent && ids.has(parent) ? parent : undefined;
    children.set(key, [...(children.get(key) ?? []), span]);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    const ordered = [...(children.get(parent) ?? [])].sort((a, b) => hrtimeMs(a.startTime) - hrtimeMs(b.startTime));
    for (const span of ordered) {
      lines.push(`${"  ".repeat(depth)}${span.name}`);
      walk(span.spanContext().spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines;
}

function hrtimeMs([seconds, nanos]: [number, number]): number {
  return seconds * 1e3 + nanos / 1e6;
}
