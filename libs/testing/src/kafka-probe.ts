import { createLogger } from '@herald/core';
import { createKafka, type KafkaConfig } from '@herald/kafka';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { testInfra, uniqueName } from './test-infra';

export interface ReceivedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

const silent = createLogger({ name: 'kafka-probe', level: 'silent' });

export function testKafka(brokers = testInfra().kafkaBrokers): Kafka {
  const config: KafkaConfig = {
    brokers: brokers.split(','),
    clientId: 'herald-test-probe',
    ssl: false,
    topicPrefix: '',
    partitions: 8,
    replicationFactor: 1,
    connectionTimeoutMs: 3000,
    requestTimeoutMs: 30_000,
  };
  return createKafka({ config, logger: silent });
}

const toRecord = (topic: string, partition: number, message: KafkaMessage): ReceivedRecord => ({
  topic,
  partition,
  offset: message.offset,
  key: message.key?.toString() ?? null,
  value: message.value?.toString() ?? '',
  headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)])),
});

/**
 * Reads topics from the beginning with a group of its own and collects every record, so a test
 * can wait for what it expects instead of sleeping.
 */
export async function startProbe(kafka: Kafka, topics: string[]) {
  const records: ReceivedRecord[] = [];
  const waiters: Array<() => void> = [];
  const consumer: Consumer = kafka.consumer({ groupId: uniqueName('probe-'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      records.push(toRecord(topic, partition, message));
      for (const wake of waiters.splice(0)) wake();
    },
  });

  return {
    records,
    /** Resolves with the matching records once `count` of them arrived; rejects after `timeoutMs`. */
    async waitFor(predicate: (record: ReceivedRecord) => boolean, count = 1, timeoutMs = 20_000): Promise<ReceivedRecord[]> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const matching = records.filter(predicate);
        if (matching.length >= count) return matching;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${count} matching records, got ${matching.length} of ${records.length}`);
        await new Promise<void>((resolveWait) => {
          const timer = setTimeout(resolveWait, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolveWait();
          });
        });
      }
    },
    stop: () => consumer.disconnect(),
  };
}

/** Number of records ever written to a topic: the sum of its partitions' end offsets. */
export async function recordCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
  } finally {
    await admin.disconnect();
  }
}
