import { uniqueName } from '@herald/testing';
import type { Kafka, KafkaMessage } from 'kafkajs';

/** One record as it is on its topic: key, value and headers byte for byte. */
export interface RawRecord {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/**
 * Reads `topics` from their beginning with a group of its own and keeps every record as raw bytes
 * (never parsed, so a test that copies them does not depend on the events' format), partition by
 * partition in their order. `upToNow()` resolves with every record written before it was called.
 */
export async function startTopicRecorder(kafka: Kafka, topics: string[]) {
  const byPartition = new Map<string, RawRecord[]>();
  const consumer = kafka.consumer({ groupId: uniqueName('recorder-'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, partition, message }) => {
      const key = `${topic}:${partition}`;
      if (!byPartition.has(key)) byPartition.set(key, []);
      byPartition.get(key)!.push({ topic, partition, message });
    },
  });
  const admin = kafka.admin();
  await admin.connect();

  return {
    /** Every partition's records up to its end offset now, each list in the partition's order. */
    async upToNow(timeoutMs = 30_000): Promise<RawRecord[][]> {
      const ends = new Map<string, number>();
      for (const topic of topics) for (const { partition, high } of await admin.fetchTopicOffsets(topic)) if (Number(high) > 0) ends.set(`${topic}:${partition}`, Number(high));
      const deadline = Date.now() + timeoutMs;
      const read = (key: string, end: number) => (byPartition.get(key) ?? []).filter((record) => Number(record.message.offset) < end);
      while ([...ends].some(([key, end]) => read(key, end).length < end) && Date.now() < deadline) await new Promise((resolveWait) => setTimeout(resolveWait, 50));
      const lists = [...ends].map(([key, end]) => read(key, end));
      if (lists.some((list, i) => list.length < [...ends.values()][i]!)) throw new Error(`the recorder did not read every record within ${timeoutMs / 1000} s`);
      return lists;
    },
    async stop() {
      await consumer.disconnect();
      await admin.disconnect();
    },
  };
}
