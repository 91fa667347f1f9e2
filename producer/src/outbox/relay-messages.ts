import type { DatabaseConfig } from '@herald/db';
import type { Compression, KafkaConfig } from '@herald/kafka';
import type { TracingConfig } from '@herald/telemetry';

/** What the relay thread is started with (structured-cloned into the worker). */
export interface RelaySettings {
  logLevel: string;
  database: DatabaseConfig;
  kafka: KafkaConfig;
  topics: string[];
  outbox: { batchSize: number; pollIntervalMs: number; maxBackoffMs: number; compression: Compression };
  /** The relay thread traces its sends itself (a worker has a tracer provider of its own); undefined when off. */
  tracing?: TracingConfig;
}

/** Messages from the relay thread to the service's main thread. */
export type FromRelay =
  | { type: 'published'; count: number }
  | { type: 'failure' }
  | { type: 'connected'; value: boolean }
  | { type: 'stopped' };

/** Messages from the main thread to the relay thread. */
export type ToRelay = { type: 'stop'; timeoutMs: number };
