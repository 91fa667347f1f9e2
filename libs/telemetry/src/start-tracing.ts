import type { Attributes } from '@opentelemetry/api';
import type { TracingConfig } from './tracing-config';

export interface Tracing {
  /** Whether spans are recorded and exported. */
  enabled: boolean;
  /** Exports the spans still buffered and stops tracing. */
  stop(): Promise<void>;
}

const OFF: Tracing = { enabled: false, stop: async () => {} };

/**
 * Starts tracing for this process when it is configured (OTEL_EXPORTER_OTLP_ENDPOINT); otherwise
 * loads nothing and every span Herald starts is the API's no-op. Called once per process, by a
 * service's wiring (producer/src/main.ts, consumer/src/main.ts) before it starts the service, and
 * by the outbox relay's thread; never by tests, which record spans with their own provider.
 */
export function startTracing({ config, serviceName, attributes, instrument }: { config: TracingConfig | undefined; serviceName: string; attributes?: Attributes; instrument?: boolean }): Tracing {
  if (!config) return OFF;
  // Lazy: without tracing the SDK, its exporters and instrumentations are never loaded.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startTracingSdk } = require('./tracing-sdk') as typeof import('./tracing-sdk');
  return startTracingSdk({ config, serviceName, attributes, instrument });
}

interface Service {
  stop(): Promise<void>;
}

/**
 * A service's start with tracing around it: tracing starts first (so the service's first request
 * is traced) and stops last (so the spans of its shutdown are exported).
 */
export const traced =
  <C extends { tracing: TracingConfig | undefined }, L extends { info(object: object, message: string): void }, S extends Service>(
    serviceName: (config: C) => string,
    start: (config: C, logger: L) => Promise<S>,
  ) =>
  async (config: C, logger: L): Promise<Service> => {
    const tracing = startTracing({ config: config.tracing, serviceName: serviceName(config) });
    if (config.tracing) logger.info({ tracesUrl: config.tracing.tracesUrl, protocol: config.tracing.protocol }, `tracing on: spans exported ${config.tracing.protocol === 'zipkin' ? 'to Zipkin' : 'over OTLP'}`);
    const service = await start(config, logger);
    return {
      async stop() {
        await service.stop();
        await tracing.stop();
      },
    };
  };
