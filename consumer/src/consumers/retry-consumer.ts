import type { Logger } from '@herald/core';
import type { EachBatchPayload, Kafka } from 'kafkajs';
import type { Sequelize } from 'sequelize';
import { isDatabaseUnavailable } from '@herald/db';
import type { ConsumerMetrics } from '../http/metrics';
import { FAILURE_HEADERS, headerValue, originOf } from './failure-headers';
import type { FailureRouter } from './failure-router';
import { createGroupConsumer } from './group-consumer';
import { parseRecord } from './parse-record';
import type { Projection } from './projections';

export interface RetryConsumerOptions {
  kafka: Kafka;
  groupId: string;
  sessionTimeoutMs: number;
  retryTopic: string;
  /** The projection for each original topic. */
  projections: Record<string, Projection>;
  sequelize: Sequelize;
  failures: FailureRouter;
  metrics: ConsumerMetrics;
  logger: Logger;
}

/**
 * Reads `side-topic-for-retry` and tries each message again once its not-before time has come.
 * A partition whose next message is not due yet is paused until it is (other partitions go on);
 * its offset is not resolved, so the message is read again on resume. A retry that fails again
 * goes back with the next attempt number, or to the dead-letter queue after the last.
 * Offsets are committed by hand after each message is settled.
 */
export function createRetryConsumer(options: RetryConsumerOptions) {
  const { kafka, groupId, retryTopic, projections, sequelize, failures, metrics, logger } = options;
  const { consumer, isJoined } = createGroupConsumer(kafka, { groupId, sessionTimeoutMs: options.sessionTimeoutMs });
  const timers = new Set<NodeJS.Timeout>();

  function pauseUntil(partition: number, dueInMs: number) {
    consumer.pause([{ topic: retryTopic, partitions: [partition] }]);
    const timer = setTimeout(() => {
      timers.delete(timer);
      consumer.resume([{ topic: retryTopic, partitions: [partition] }]);
    }, dueInMs);
    timers.add(timer);
  }

  async function eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload) {
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) return;
      const dueInMs = Number(headerValue(message.headers, FAILURE_HEADERS.notBefore) ?? 0) - Date.now();
      if (dueInMs > 0) {
        pauseUntil(batch.partition, dueInMs);
        return;
      }
      const origin = originOf(retryTopic, batch.partition, message);
      const projection = projections[origin.topic];
      try {
        if (!projection) throw new Error(`no projection for topic ${origin.topic}`);
        const event = parseRecord(message, projection.eventType);
        const record = { event, partition: origin.partition, offset: origin.offset };
        await sequelize.transaction((transaction) => projection.apply([record], transaction));
        metrics.processed.inc({ topic: origin.topic });
        logger.info({ topic: origin.topic, offset: origin.offset, attempt: origin.attempt }, 'retry succeeded');
      } catch (error) {
        if (isDatabaseUnavailable(error)) throw error;
        metrics.failed.inc({ topic: origin.topic });
        await failures.retryOrDeadLetter({ topic: retryTopic, partition: batch.partition }, message, error, projection !== undefined);
      }
      resolveOffset(message.offset);
      await consumer.commitOffsets([{ topic: retryTopic, partition: batch.partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      await heartbeat();
    }
  }

  return {
    groupId,
    async start() {
      await consumer.connect();
      await consumer.subscribe({ topic: retryTopic, fromBeginning: true });
      await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 8, eachBatch });
      logger.info({ groupId, topic: retryTopic }, 'retry consumer running');
    },
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      await consumer.disconnect();
    },
    isJoined,
  };
}
