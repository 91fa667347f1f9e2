import type { Logger } from '@herald/core';
import type { Kafka } from 'kafkajs';
import { createSupervisedConsumer, type ConsumerMetrics, type SupervisedConsumer, type Supervision } from '@herald/kafka';
import type { FlowMeter } from './flow-meter';

/**
 * Feeds the console's live flow: a consumer in a group of this process alone that reads every
 * partition of every Herald topic from the latest offset and hands each record's position, key
 * and type to the flow meter. It runs only while a console watches (`watch()` until its release,
 * then `idleMs` more, so a page reload does not rejoin), since reading every topic twice costs.
 * It never commits, and its group is deleted when it stops.
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
  kafka: Kafka;
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
    const created = createSupervisedConsumer({
      kafka,
      groupId,
      sessionTimeoutMs,
      supervision,
      metrics,
      logger,
      topics: flow.topics,
      fromBeginning: false,
      runConfig: () => ({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => flow.record(topic, partition, message),
      }),
    });
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
    await running.stop().catch(() => {});
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.deleteGroups([groupId]);
    } catch (error) {
      logger.debug({ err: error, groupId }, 'console flow tap group not deleted');
    } finally {
      await admin.disconnect().catch(() => {});
    }
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
