import { randomUUID } from 'node:crypto';
import { context, propagation, trace, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider, type Sampler, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace';
import type { Tracing } from './start-tracing';
import type { TracingConfig } from './tracing-config';

/** The sampler a config names. A parent-based one keeps a whole trace or none of it, across both services and Kafka: the decision travels in `traceparent`. */
function samplerOf({ name, ratio }: TracingConfig['sampler']): Sampler {
  const root = name.endsWith('traceidratio') ? new TraceIdRatioBasedSampler(ratio) : name.endsWith('always_off') ? new AlwaysOffSampler() : new AlwaysOnSampler();
  return name.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
}

/**
 * Attributes the HTTP instrumentation records that Herald does not export: the client's IP
 * address (personal data, docs/privacy.md) and the query string (a GraphQL GET carries its
 * variables there).
 */
const NOT_EXPORTED = ['client.address', 'network.peer.address', 'network.peer.port', 'url.query'];

const withoutPersonalData: SpanProcessor = {
  onStart() {},
  onEnding(span: Span) {
    for (const name of NOT_EXPORTED) delete span.attributes[name];
  },
  onEnd() {},
  forceFlush: async () => {},
  shutdown: async () => {},
};

// Requests nobody follows: health checks every few seconds, Prometheus' scrapes.
const UNTRACED_PATHS = /^\/(health|ready|live|metrics)(\/|$|\?)/;

/** A batch holds up to OUTBOX_BATCH_SIZE records (500 by default), each a link of the send's span. */
const MAX_LINKS = 1000;

/**
 * The OpenTelemetry SDK of one process: W3C trace context, spans in AsyncLocalStorage, batched
 * OTLP/HTTP export, and (unless `instrument` is false) the instrumentations of Node's HTTP server
 * and of fetch. Loaded only when tracing is on (start-tracing.ts).
 *
 * Only instrumentations that do not depend on being loaded before what they instrument: the
 * HTTP instrumentation patches Node's own `http` module in place (on the require below), and
 * fetch's is told of each request over diagnostics_channel. So the SDK can start in a service's
 * wiring, after its modules were loaded. Herald's own spans (outbox, relay, projections, pushes)
 * come from @opentelemetry/api.
 */
export function startTracingSdk({ config, serviceName, attributes = {}, instrument = true }: { config: TracingConfig; serviceName: string; attributes?: Attributes; instrument?: boolean }): Tracing {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const exporter =
    config.protocol === 'zipkin'
      ? new ZipkinExporter({ url: config.tracesUrl, serviceName })
      : new (config.protocol === 'http/json' ? OtlpJsonExporter : OtlpProtobufExporter)({ url: config.tracesUrl });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'service.namespace': 'herald', 'service.instance.id': randomUUID(), ...attributes }),
    sampler: samplerOf(config.sampler),
    spanLimits: { linkCountLimit: MAX_LINKS },
    spanProcessors: [withoutPersonalData, new BatchSpanProcessor({ exporter, scheduledDelayMillis: config.scheduleDelayMs })],
  });
  trace.setGlobalTracerProvider(provider);
  const unregister = instrument
    ? registerInstrumentations({
        instrumentations: [
          new HttpInstrumentation({
            ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? ''),
            // Outgoing calls are fetch's (undici); the http module's would be the OTLP export itself.
            disableOutgoingRequestInstrumentation: true,
          }),
          // A fetch outside any span is a poll of this process's own (the console's node list), not part of a request's story.
          new UndiciInstrumentation({ requireParentforSpans: true }),
        ],
      })
    : () => {};
  // Applies the HTTP instrumentation now: the service loaded `http` before the SDK started.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the require is the point
  require('node:http');
  return {
    enabled: true,
    async stop() {
      unregister();
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
