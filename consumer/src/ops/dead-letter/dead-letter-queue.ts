import { ACKS_ALL, copyableHeaders, createReliableProducer, FAILURE_HEADERS, headerValue, readTopic, type KafkaClient, type RecordHeaders, type StoredRecord } from '@herald/kafka';

/** One record of the dead-letter queue, as an operator reads it. */
export interface DeadLetter {
  /** Where it is in the dead-letter queue: what `replay` takes. */
  at: { partition: number; offset: string };
  key: string | null;
  origin: { topic: string; partition: number; offset: string } | undefined;
  attempt: string | undefined;
  errorType: string | undefined;
  error: string | undefined;
  failedAt: string | undefined;
  /** The copy left the value out (it would not fit); replay reads it from the origin. */
  valueDropped: boolean;
  valueBytes: number;
}

/** A page of the dead-letter queue, newest first, and how many records it holds in all. */
export interface DeadLetterPage {
  total: number;
  records: DeadLetter[];
}

export interface ReplayResult {
  replayed: Array<DeadLetter['at'] & { to: string }>;
  skipped: Array<DeadLetter['at'] & { reason: string }>;
}

/** The header a replayed record carries: where in the dead-letter queue it came from. */
export const REPLAYED_FROM = 'x-replayed-from';

function describe({ partition, message }: StoredRecord): DeadLetter {
  const header = (name: string) => headerValue(message.headers, name);
  const topic = header(FAILURE_HEADERS.originalTopic);
  const partitionOfOrigin = Number(header(FAILURE_HEADERS.originalPartition));
  const offset = header(FAILURE_HEADERS.originalOffset);
  return {
    at: { partition, offset: message.offset },
    key: message.key?.toString() ?? null,
    origin: topic && offset && Number.isInteger(partitionOfOrigin) ? { topic, partition: partitionOfOrigin, offset } : undefined,
    attempt: header(FAILURE_HEADERS.attempt),
    errorType: header(FAILURE_HEADERS.errorType),
    error: header(FAILURE_HEADERS.error),
    failedAt: header(FAILURE_HEADERS.failedAt),
    valueDropped: header(FAILURE_HEADERS.valueDropped) !== undefined,
    valueBytes: message.value?.length ?? 0,
  };
}

/**
 * The dead-letter queue for operators: what is in it, and replaying chosen records to the topic
 * they came from, once their cause is fixed. Replays are safe because projections are idempotent:
 * an event already projected changes nothing, and one that still fails is dead-lettered again.
 */
export function createDeadLetterQueue({ kafka, topics }: { kafka: KafkaClient; topics: { deadLetter: string; sources: string[] } }) {
  return {
    async list(): Promise<DeadLetter[]> {
      return (await readTopic(kafka, topics.deadLetter)).map(describe);
    },

    /**
     * The newest `first` records (of one partition, before an offset, to page back; or of all
     * partitions), reading no more than `first` records of each partition.
     */
    async page({ first, partition, beforeOffset }: { first: number; partition?: number; beforeOffset?: string }): Promise<DeadLetterPage> {
      const admin = kafka.admin();
      await admin.connect();
      let offsets: Array<{ partition: number; low: string; high: string }>;
      try {
        offsets = await admin.fetchTopicOffsets(topics.deadLetter);
      } finally {
        await admin.disconnect().catch(() => {});
      }
      const total = offsets.reduce((sum, { low, high }) => sum + Number(BigInt(high) - BigInt(low)), 0);
      const ranges = offsets
        .filter((entry) => partition === undefined || entry.partition === partition)
        .map(({ partition: at, low, high }) => {
          const to = beforeOffset !== undefined && BigInt(beforeOffset) < BigInt(high) ? BigInt(beforeOffset) : BigInt(high);
          const from = to - BigInt(first) > BigInt(low) ? to - BigInt(first) : BigInt(low);
          return { partition: at, from: from.toString(), to: to.toString() };
        })
        .filter((range) => BigInt(range.from) < BigInt(range.to));
      const stored = ranges.length === 0 ? [] : await readTopic(kafka, topics.deadLetter, { ranges });
      const byOffset = (a: StoredRecord, b: StoredRecord) => Number(BigInt(b.message.offset) - BigInt(a.message.offset));
      // One partition: by offset (what paging back goes by); all: by time, across partitions.
      const newestFirst = stored.sort(partition !== undefined ? byOffset : (a, b) => Number(b.message.timestamp) - Number(a.message.timestamp) || b.partition - a.partition || byOffset(a, b));
      return { total, records: newestFirst.slice(0, first).map(describe) };
    },

    async replay(selection: Array<DeadLetter['at']>): Promise<ReplayResult> {
      const result: ReplayResult = { replayed: [], skipped: [] };
      const partitions = [...new Set(selection.map((at) => at.partition))];
      const ranges = partitions.map((partition) => {
        const offsets = selection.filter((at) => at.partition === partition).map((at) => BigInt(at.offset));
        const least = offsets.reduce((a, b) => (b < a ? b : a));
        const most = offsets.reduce((a, b) => (b > a ? b : a));
        return { partition, from: least.toString(), to: (most + 1n).toString() };
      });
      const chosen = new Set(selection.map((at) => `${at.partition}/${at.offset}`));
      const stored = (await readTopic(kafka, topics.deadLetter, { ranges })).filter((record) => chosen.has(`${record.partition}/${record.message.offset}`));
      for (const at of selection) {
        if (!stored.some((record) => record.partition === at.partition && record.message.offset === at.offset)) result.skipped.push({ ...at, reason: 'not in the dead-letter queue' });
      }

      const producer = createReliableProducer(kafka);
      await producer.connect();
      try {
        for (const record of stored) {
          const letter = describe(record);
          const { origin } = letter;
          if (!origin || !topics.sources.includes(origin.topic)) {
            result.skipped.push({ ...letter.at, reason: 'it did not come from a topic the producer writes (its retry headers were not written by the consumer)' });
            continue;
          }
          let { value, headers } = record.message;
          if (letter.valueDropped) {
            // The copy has no value: read it where it was first written, while retention keeps it.
            const [original] = await readTopic(kafka, origin.topic, { ranges: [{ partition: origin.partition, from: origin.offset, to: (BigInt(origin.offset) + 1n).toString() }] });
            if (!original || original.message.offset !== origin.offset) {
              result.skipped.push({ ...letter.at, reason: `its value was left out and the original at ${origin.topic}/${origin.partition}/${origin.offset} is gone (retention)` });
              continue;
            }
            ({ value, headers } = original.message);
          }
          const replayHeaders: RecordHeaders = { ...copyableHeaders(headers), [REPLAYED_FROM]: `${topics.deadLetter}/${letter.at.partition}/${letter.at.offset}` };
          await producer.send({ topic: origin.topic, acks: ACKS_ALL, messages: [{ key: record.message.key, value, headers: replayHeaders }] });
          result.replayed.push({ ...letter.at, to: origin.topic });
        }
      } finally {
        await producer.disconnect();
      }
      return result;
    },
  };
}

export type DeadLetterQueue = ReturnType<typeof createDeadLetterQueue>;
