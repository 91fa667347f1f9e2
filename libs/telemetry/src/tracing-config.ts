import { envVar } from '@herald/core';
import { z } from 'zod';

/** The OTLP encodings Herald can export: OTLP over HTTP, protobuf (the standard's default) or JSON. */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/**
 * The OpenTelemetry variables a Herald service reads (their standard names); spread into a
 * service's own schema. Without OTEL_EXPORTER_OTLP_ENDPOINT tracing is off: no SDK is loaded.
 */
export const tracingEnvShape = {
  /** Where spans go, OTLP over HTTP: the base URL of a collector; spans are posted to `<endpoint>/v1/traces`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://127.0.0.1:4318' }).optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(OTLP_PROTOCOLS, { error: `must be one of ${OTLP_PROTOCOLS.join(', ')}` }).default('http/protobuf'),
  /** How long ended spans wait before they are exported in one batch. */
  OTEL_BSP_SCHEDULE_DELAY: envVar.int(5000, 1),
};

type TracingEnv = z.output<z.ZodObject<typeof tracingEnvShape>>;

export interface TracingConfig {
  /** The OTLP/HTTP traces URL spans are posted to. */
  tracesUrl: string;
  protocol: OtlpProtocol;
  scheduleDelayMs: number;
}

/** The tracing settings, or undefined when tracing is off (no endpoint). */
export function toTracingConfig(env: TracingEnv): TracingConfig | undefined {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  return {
    tracesUrl: `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`,
    protocol: env.OTEL_EXPORTER_OTLP_PROTOCOL,
    scheduleDelayMs: env.OTEL_BSP_SCHEDULE_DELAY,
  };
}
