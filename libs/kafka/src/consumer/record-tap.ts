import type { Logger } from '@herald/core';
import type { Kafka, KafkaMessage } from 'kafkajs';
import type { ConsumerMetrics } from './consumer-metrics';
import { createSupervisedConsumer, type FetchSettings, type SupervisedConsumer, type Supervision } from './supervised-consumer';

export interface RecordTapOptions {
  kafka: Kafka;
  /** A group of this process alone, so it gets every partition whichever task owns them for projection. */
  groupId: string;
  topics: string[];
  /** Each record as it is read, awaited; what it throws (or rejects with) is logged and the record skipped. */
  onRecord(topic: string, partition: number, record: KafkaMessage): void | Promise<void>;
  sessionTimeoutMs: number;
  fetch?: FetchSettings;
  supervision: Supervision;
  metrics: ConsumerMetrics;
  logger: Logger;
}

/**
 * Reads every partition of its topics from the latest offset, in a group of its own per process,
 * and hands each record on as it is read. It never commits, and deletes its group when it stops,
 * rather than leave an empty group for the broker's clean-up to find minutes later.
 */
export function createRecordTap(options: RecordTapOptions): SupervisedConsumer {
  const { kafka, groupId, topics, onRecord, logger } = options;
  const supervised = createSupervisedConsumer({
    ...options,
    topics,
    fromBeginning: false,
    runConfig: () => ({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        try {
          await onRecord(topic, partition, message);
        } catch (error) {
          logger.debug({ err: error, topic, partition, offset: message.offset }, 'record tap skipped a record');
        }
      },
    }),
  });
  return {
    ...supervised,
    async stop() {
      await supervised.stop();
      const admin = kafka.admin();
      try {
        await admin.connect();
        await admin.deleteGroups([groupId]);
      } catch (error) {
        logger.debug({ err: error, groupId }, 'record tap group not deleted');
      } finally {
        await admin.disconnect().catch(() => {});
      }
    },
  };
}
