import type { Logger } from '@herald/core';
import { createRecordTap, type ConsumerMetrics, type KafkaClient, type SupervisedConsumer, type Supervision } from '@herald/kafka';
import type { FlowMeter } from './flow-meter';

/**
 * Feeds the console's live flow: a record tap (@herald/kafka: a group of this process alone, every
 * partition of every Herald topic from the latest offset) hands each record's position, key and
 * type to the flow meter. It runs only while a console watches (`watch()` until its release,
 * then `idleMs` more, so a page reload does not rejoin), since reading every topic twice costs.
 */
export function createFlowTap({
  kafka,
  groupId,
  flow,
  sessionTimeoutMs,
  supervision,
  metrics,
  logger,
  idleMs = 30_000,
}: {
  kafka: KafkaClient;
  groupId: string;
  flow: FlowMeter;
  sessionTimeoutMs: number;
  supervision: Supervision;
  metrics: ConsumerMetrics;
  logger: Logger;
  idleMs?: number;
}) {
  let watchers = 0;
  let consumer: SupervisedConsumer | undefined;
  let idle: NodeJS.Timeout | undefined;
  let stopping: Promise<void> = Promise.resolve();

  const start = async () => {
    await stopping;
    if (consumer || watchers === 0) return;
    const created = createRecordTap({ kafka, groupId, sessionTimeoutMs, supervision, metrics, logger, topics: flow.topics, onRecord: (topic, partition, record) => flow.record(topic, partition, record) });
    consumer = created;
    try {
      await created.start();
      logger.info({ groupId }, 'console flow tap running');
    } catch (error) {
      // Kafka away: the supervised consumer is not running; the next watcher tries again.
      logger.warn({ err: error }, 'console flow tap could not start');
      consumer = undefined;
      await created.stop().catch(() => {});
    }
  };

  const stop = async () => {
    const running = consumer;
    consumer = undefined;
    if (!running) return;
    // The record tap deletes its group as it stops.
    await running.stop().catch(() => {});
  };

  return {
    /** A console starts watching; call the returned function when it stops. */
    watch(): () => void {
      watchers += 1;
      clearTimeout(idle);
      void start();
      let released = false;
      return () => {
        if (released) return;
        released = true;
        watchers -= 1;
        if (watchers > 0) return;
        idle = setTimeout(() => (stopping = stop()), idleMs);
        idle.unref();
      };
    },
    async close() {
      watchers = 0;
      clearTimeout(idle);
      await stopping;
      await stop();
    },
  };
}

export type FlowTap = ReturnType<typeof createFlowTap>;
