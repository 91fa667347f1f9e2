import type { Logger } from '@herald/core';
import type { HeraldEvent } from '@herald/events';
import type { EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Sequelize } from 'sequelize';
import { isDatabaseUnavailable } from '@herald/db';
import type { ConsumerMetrics } from '../http/metrics';
import type { Located } from '../read-models/users-read-model';
import type { FailureRouter } from './failure-router';
import { createGroupConsumer } from './group-consumer';
import { parseRecord } from './parse-record';
import type { Projection } from './projections';

export type CommitMode = 'auto' | 'manual';

export interface ProjectionConsumerOptions {
  kafka: Kafka;
  groupId: string;
  sessionTimeoutMs: number;
  topic: string;
  commitMode: CommitMode;
  sequelize: Sequelize;
  projection: Projection;
  failures: FailureRouter;
  metrics: ConsumerMetrics;
  logger: Logger;
  /** Test-only fault injection: runs after the database commit and before the offset commit. */
  afterDatabaseCommit?: () => void;
}

export interface ProjectionConsumer {
  start(): Promise<void>;
  stop(): Promise<void>;
  isJoined(): boolean;
  groupId: string;
}

/** Messages per transaction: big enough to drain a backlog fast, small enough to heartbeat often. */
const CHUNK = 500;

/**
 * One kafkajs consumer (one group) that projects one topic into the read model. It reads in
 * batches and writes each chunk in one transaction; a message that fails alone goes to the retry
 * topic, a message that can never be an event to the dead-letter queue, so the partition keeps
 * moving. A database outage is different: nothing is committed and the batch is read again.
 *
 * Commit modes: `auto` lets kafkajs commit resolved offsets on its own schedule (at least once:
 * a crash may replay a few messages, which change nothing). `manual` commits offset + 1 itself,
 * right after the database transaction, so committed offsets never run ahead of the database.
 */
export function createProjectionConsumer(options: ProjectionConsumerOptions): ProjectionConsumer {
  const { kafka, groupId, topic, commitMode, sequelize, projection, failures, metrics, logger } = options;
  const { consumer, isJoined } = createGroupConsumer(kafka, { groupId, sessionTimeoutMs: options.sessionTimeoutMs });

  const located = (partition: number, message: KafkaMessage, event: HeraldEvent): Located<HeraldEvent> => ({ event, partition, offset: message.offset });

  /** Applies a chunk in one transaction; on failure, each message alone, routing the ones that still fail. */
  async function project(partition: number, chunk: KafkaMessage[]): Promise<void> {
    const parsed: Array<{ message: KafkaMessage; record: Located<HeraldEvent> }> = [];
    for (const message of chunk) {
      try {
        parsed.push({ message, record: located(partition, message, parseRecord(message, projection.eventType)) });
      } catch (error) {
        await failures.deadLetter({ topic, partition }, message, error);
      }
    }
    if (parsed.length === 0) return;
    try {
      const inserted = await sequelize.transaction((transaction) => projection.apply(parsed.map((entry) => entry.record), transaction));
      metrics.processed.inc({ topic }, parsed.length);
      metrics.redelivered.inc({ topic }, parsed.length - inserted);
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error; // the database is away: read the batch again later
      for (const { message, record } of parsed) {
        try {
          const inserted = await sequelize.transaction((transaction) => projection.apply([record], transaction));
          metrics.processed.inc({ topic });
          metrics.redelivered.inc({ topic }, 1 - inserted);
        } catch (single) {
          if (isDatabaseUnavailable(single)) throw single;
          metrics.failed.inc({ topic });
          await failures.retryOrDeadLetter({ topic, partition }, message, single, true);
        }
      }
    }
  }

  async function eachBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload) {
    for (let start = 0; start < batch.messages.length; start += CHUNK) {
      if (!isRunning() || isStale()) return;
      const chunk = batch.messages.slice(start, start + CHUNK);
      await project(batch.partition, chunk);
      options.afterDatabaseCommit?.();
      const last = chunk[chunk.length - 1]!.offset;
      resolveOffset(last);
      if (commitMode === 'manual') {
        await consumer.commitOffsets([{ topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
      } else {
        await commitOffsetsIfNecessary();
      }
      await heartbeat();
    }
  }

  return {
    groupId,
    async start() {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: commitMode === 'auto',
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 4,
        eachBatch,
      });
      logger.info({ groupId, topic, commitMode }, 'projection consumer running');
    },
    stop: () => consumer.disconnect(),
    isJoined,
  };
}
