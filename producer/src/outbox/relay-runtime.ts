import type { Logger } from '@herald/core';
import { createPool, pgOptions } from '@herald/db';
import { createKafka } from '@herald/kafka';
import type { OutboxMetrics } from '../http/metrics';
import { createOutboxListener } from './outbox-listener';
import { createOutboxRelay } from './outbox-relay';
import type { RelaySettings } from './relay-messages';

export interface RunningRelay {
  isConnected(): boolean;
  /** Publishes what is committed (up to `timeoutMs`), then closes its connections. */
  stop(timeoutMs: number): Promise<void>;
}

/**
 * Everything the relay needs, built from its settings alone: its own pg pool, its own kafkajs
 * client, the LISTEN connection and the relay loop. Runs in the relay thread, or in the main
 * thread (the default, OUTBOX_RELAY_THREAD=false).
 */
export function startRelayRuntime({ settings, metrics, logger }: { settings: RelaySettings; metrics: OutboxMetrics; logger: Logger }): RunningRelay {
  const pool = createPool({ config: settings.database, max: 2, logger, name: 'outbox-relay' });
  const relay = createOutboxRelay({
    pool,
    kafka: createKafka({ config: settings.kafka, logger }),
    topics: settings.topics,
    partitions: settings.kafka.partitions,
    replicationFactor: settings.kafka.replicationFactor,
    ...settings.outbox,
    metrics,
    logger,
  });
  const listener = createOutboxListener({ connection: pgOptions(settings.database), onNotify: () => relay.wake(), logger });
  void listener.start().then(() => relay.start());
  return {
    isConnected: () => relay.isConnected(),
    async stop(timeoutMs) {
      await listener.stop();
      await relay.stop(timeoutMs);
      await pool.end();
    },
  };
}
