import { envVar } from '@herald/core';
import { z } from 'zod';

/** The OTLP encodings Herald can export: OTLP over HTTP, protobuf (the standard's default) or JSON. */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];
/** Where spans can go: an OTLP collector (the default), a Zipkin server (`npm start -- --traces`), or nowhere. */
export const TRACES_EXPORTERS = ['otlp', 'zipkin', 'none'] as const;
/** OpenTelemetry's samplers by their standard names; `parentbased_*` follow the caller's decision, carried in `traceparent`. */
export const TRACES_SAMPLERS = ['parentbased_always_on', 'parentbased_traceidratio', 'parentbased_always_off', 'always_on', 'traceidratio', 'always_off'] as const;
export type TracesSampler = (typeof TRACES_SAMPLERS)[number];

/**
 * The OpenTelemetry variables a Herald service reads (their standard names); spread into a
 * service's own schema. Tracing is on with OTEL_EXPORTER_OTLP_ENDPOINT (OTLP), or with
 * OTEL_TRACES_EXPORTER=zipkin (to OTEL_EXPORTER_ZIPKIN_ENDPOINT); otherwise no SDK is loaded.
 */
export const tracingEnvShape = {
  OTEL_TRACES_EXPORTER: z.enum(TRACES_EXPORTERS, { error: `must be one of ${TRACES_EXPORTERS.join(', ')}` }).default('otlp'),
  /** Zipkin's spans API (v2 JSON), the standard's default when unset. */
  OTEL_EXPORTER_ZIPKIN_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://127.0.0.1:9411/api/v2/spans' }).default('http://localhost:9411/api/v2/spans'),
  /** Where spans go, OTLP over HTTP: the base URL of a collector; spans are posted to `<endpoint>/v1/traces`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://127.0.0.1:4318' }).optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(OTLP_PROTOCOLS, { error: `must be one of ${OTLP_PROTOCOLS.join(', ')}` }).default('http/protobuf'),
  /** How long ended spans wait before they are exported in one batch. */
  OTEL_BSP_SCHEDULE_DELAY: envVar.int(5000, 1),
  OTEL_TRACES_SAMPLER: z.enum(TRACES_SAMPLERS, { error: `must be one of ${TRACES_SAMPLERS.join(', ')}` }).default('parentbased_always_on'),
  /** The share of new traces kept by the `*traceidratio` samplers, 0 to 1. */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number({ error: 'must be a number from 0 to 1' }).min(0, 'must be a number from 0 to 1').max(1, 'must be a number from 0 to 1').default(1),
};

type TracingEnv = z.output<z.ZodObject<typeof tracingEnvShape>>;

export interface TracingConfig {
  /** The URL spans are posted to: OTLP/HTTP's traces URL, or Zipkin's spans API. */
  tracesUrl: string;
  /** OTLP in protobuf or JSON, or Zipkin's v2 JSON. */
  protocol: OtlpProtocol | 'zipkin';
  scheduleDelayMs: number;
  /** Which traces are recorded: the sampler, and the share of new traces for the ratio samplers. */
  sampler: { name: TracesSampler; ratio: number };
}

/** The tracing settings, or undefined when tracing is off (OTLP without an endpoint, or `none`). */
export function toTracingConfig(env: TracingEnv): TracingConfig | undefined {
  const sampler = { name: env.OTEL_TRACES_SAMPLER, ratio: env.OTEL_TRACES_SAMPLER_ARG };
  if (env.OTEL_TRACES_EXPORTER === 'zipkin') return { tracesUrl: env.OTEL_EXPORTER_ZIPKIN_ENDPOINT, protocol: 'zipkin', scheduleDelayMs: env.OTEL_BSP_SCHEDULE_DELAY, sampler };
  if (env.OTEL_TRACES_EXPORTER === 'none' || !env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  return {
    tracesUrl: `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`,
    protocol: env.OTEL_EXPORTER_OTLP_PROTOCOL,
    scheduleDelayMs: env.OTEL_BSP_SCHEDULE_DELAY,
    sampler,
  };
}
