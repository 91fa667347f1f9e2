import { randomUUID } from 'node:crypto';
import { CompressionTypes } from 'kafkajs';
import { runAtRate } from '../lib/worker-pool';
import { createScratchTopic } from '../lib/scratch-kafka';

/**
 * The floor under end-to-end latency: a bare kafkajs producer (idempotent, acks=all, as the
 * outbox relay's) sends one record at a time at the given rate to a scratch topic, and a bare
 * consumer (maxWaitTime 100 ms, as the service's) receives it. A sample is send() called ->
 * eachMessage, the same legs (produce, fetch) that any event of the system travels.
 */
export async function measureKafkaRoundTrip({ brokers, count, ratePerSecond, timeoutMs = 10_000, onProgress }: { brokers: string[]; count: number; ratePerSecond: number; timeoutMs?: number; onProgress?: (done: number) => void }) {
  const scratch = await createScratchTopic(brokers, 'round-trip');
  const producer = scratch.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  const consumer = scratch.kafka.consumer({ groupId: `${scratch.topic}-group`, maxWaitTimeInMs: 100 });
  const sentAt = new Map<string, number>();
  const samples: number[] = [];
  const waiting = new Map<string, () => void>();
  try {
    await Promise.all([producer.connect(), consumer.connect()]);
    await consumer.subscribe({ topic: scratch.topic, fromBeginning: true });
    const joined = new Promise<void>((resolveJoin) => consumer.on(consumer.events.GROUP_JOIN, () => resolveJoin()));
    await consumer.run({
      eachMessage: async ({ message }) => {
        const key = message.key?.toString() ?? '';
        const at = performance.now();
        const sent = sentAt.get(key);
        if (sent !== undefined) samples.push(at - sent);
        waiting.get(key)?.();
      },
    });
    await joined;
    // A first record warms the connections and fetch sessions; it is not a sample.
    await producer.send({ topic: scratch.topic, acks: -1, messages: [{ key: 'warm-up', value: 'x' }] });

    await runAtRate({ ratePerSecond, count, maxInFlight: 64 }, async () => {
      const key = randomUUID();
      const delivered = new Promise<void>((resolveDelivered) => waiting.set(key, resolveDelivered));
      sentAt.set(key, performance.now());
      await producer.send({ topic: scratch.topic, acks: -1, compression: CompressionTypes.None, messages: [{ key, value: JSON.stringify({ key, padding: 'x'.repeat(300) }) }] });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([delivered, new Promise<void>((resolveTimeout) => (timer = setTimeout(resolveTimeout, timeoutMs)))]);
      clearTimeout(timer);
      waiting.delete(key);
    }, onProgress);
    return { samples, sent: sentAt.size, undelivered: sentAt.size - samples.length };
  } finally {
    await consumer.disconnect().catch(() => {});
    await producer.disconnect().catch(() => {});
    await scratch.drop();
  }
}
