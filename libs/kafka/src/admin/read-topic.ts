import { randomBytes } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';

export interface StoredRecord {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/** Where to read in one partition: from `from` (inclusive) to `to` (exclusive; the end offset when left out). */
export interface PartitionRange {
  partition: number;
  from?: string;
  to?: string;
}

/**
 * Reads the records of a topic that are there now (up to the end offsets asked for when it
 * starts), in partition order, with a throw-away group that commits nothing and is deleted after.
 * For operators' tools: the dead-letter queue, and the originals it points at.
 */
/** What the group id of each read starts with (the rest is random): the AsyncAPI contract states it. */
export const TOOL_GROUP_PREFIX = 'herald-tool.';

export async function readTopic(kafka: Kafka, topic: string, { ranges, timeoutMs = 30_000 }: { ranges?: PartitionRange[]; timeoutMs?: number } = {}): Promise<StoredRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `${TOOL_GROUP_PREFIX}${randomBytes(6).toString('hex')}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const wanted = new Map<number, { from: bigint; to: bigint }>();
    for (const { partition, low, high } of offsets) {
      const range: PartitionRange | undefined = ranges ? ranges.find((candidate) => candidate.partition === partition) : { partition };
      if (!range) continue;
      // Never before the first record still kept, never past the end when the read began.
      const from = BigInt(range.from ?? low) > BigInt(low) ? BigInt(range.from ?? low) : BigInt(low);
      const to = range.to !== undefined && BigInt(range.to) < BigInt(high) ? BigInt(range.to) : BigInt(high);
      if (from < to) wanted.set(partition, { from, to });
    }
    const records: StoredRecord[] = [];
    if (wanted.size === 0) return records;

    const done = new Set<number>();
    let finish: () => void = () => {};
    const finished = new Promise<void>((resolveFinished) => (finish = resolveFinished));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const range = wanted.get(partition);
        if (!range || done.has(partition)) return;
        const offset = BigInt(message.offset);
        if (offset >= range.from && offset < range.to) records.push({ topic, partition, message });
        if (offset >= range.to - 1n) {
          done.add(partition);
          if (done.size === wanted.size) finish();
        }
      },
    });
    for (const [partition, { from }] of wanted) consumer.seek({ topic, partition, offset: from.toString() });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([finished, new Promise<void>((_, reject) => (timer = setTimeout(() => reject(new Error(`reading ${topic} took longer than ${timeoutMs} ms`)), timeoutMs)))]);
    clearTimeout(timer);
    return records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.message.offset) - BigInt(b.message.offset)));
  } finally {
    await consumer.disconnect().catch(() => {});
    await admin.deleteGroups([groupId]).catch(() => {});
    await admin.disconnect().catch(() => {});
  }
}
