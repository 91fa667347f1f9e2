import type { Logger } from '@herald/core';
import { createNotificationListener, createPool, pgOptions } from '@herald/db';
import { createKafka } from '@herald/kafka';
import type { OutboxMetrics } from '../http/metrics';
import { createOutboxRelay } from './outbox-relay';
import type { RelaySettings } from './relay-messages';

/** The channel the outbox's insert trigger notifies (migration 0001). */
export const OUTBOX_CHANNEL = 'herald_outbox';

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
  // The relay falls back to polling while the listening connection is down, so a lost connection
  // delays events but never loses them; after each (re)connection it looks for what was missed.
  const listener = createNotificationListener({
    connection: pgOptions(settings.database),
    channel: OUTBOX_CHANNEL,
    onNotify: () => relay.wake(),
    onConnect: () => relay.wake(),
    logger,
  });
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
