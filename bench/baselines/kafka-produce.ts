import { compressionType, type Compression } from '@herald/kafka';
import type { Message } from 'kafkajs';
import { createScratchTopic } from '../lib/scratch-kafka';
import type { SampleRecord } from '../produce/sample-events';

export interface ProduceConfig {
  batchSize: number;
  /** Producers sending at once, each one batch in flight (idempotence keeps kafkajs at one). */
  concurrency: number;
  compression: Compression;
}

/**
 * Raw produce rate to a scratch topic: `concurrency` idempotent producers (acks=all, as the
 * relay's) each sending batches of `batchSize` records back to back for `seconds`.
 */
export async function measureKafkaProduce({ brokers, records, config, seconds }: { brokers: string[]; records: SampleRecord[]; config: ProduceConfig; seconds: number }) {
  const scratch = await createScratchTopic(brokers, 'produce');
  const messages: Message[] = records.map((record) => ({ key: record.key, value: JSON.stringify(record.event), headers: record.headers }));
  const producers = Array.from({ length: config.concurrency }, () => scratch.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false }));
  const latencies: number[] = [];
  let sent = 0;
  try {
    await Promise.all(producers.map((producer) => producer.connect()));
    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(
      producers.map(async (producer, p) => {
        let offset = p * config.batchSize;
        while (performance.now() < deadline) {
          const batch = Array.from({ length: config.batchSize }, (_, i) => messages[(offset + i) % messages.length]!);
          offset += config.batchSize * config.concurrency;
          const begin = performance.now();
          await producer.send({ topic: scratch.topic, acks: -1, compression: compressionType(config.compression), messages: batch });
          latencies.push(performance.now() - begin);
          sent += batch.length;
        }
      }),
    );
    return { perSecond: sent / ((performance.now() - started) / 1000), sent, latencies };
  } finally {
    await Promise.all(producers.map((producer) => producer.disconnect().catch(() => {})));
    await scratch.drop();
  }
}
