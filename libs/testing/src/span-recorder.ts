import { context, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';

export type { ReadableSpan };

export interface SpanRecorder {
  /** A tracer of the recorder's own, for code that takes one. */
  tracer: Tracer;
  /** Every span ended so far. */
  spans(): ReadableSpan[];
  stop(): Promise<void>;
}

/**
 * Records the spans of code run in the test's process, in memory: the recorder's provider and an
 * AsyncLocalStorage context manager become this test file's global ones (jest gives each file its
 * own globals), so code that uses @herald/telemetry's default tracer records too.
 */
export function recordSpans(): SpanRecorder {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  return {
    tracer: provider.getTracer('test'),
    spans: () => exporter.getFinishedSpans(),
    async stop() {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}
