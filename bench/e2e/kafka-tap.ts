import { randomUUID } from 'node:crypto';
import { topicNames } from '@herald/events';
import { registerCompressionCodecs } from '@herald/kafka';
import { Kafka, logLevel } from 'kafkajs';

/**
 * A bare kafkajs consumer on Herald's two event topics, beside the consumer service: for every
 * event it notes when the relay published it (the record's CreateTime, stamped by the relay's
 * producer) and when a bare consumer could read it. With the producer's answer and the
 * subscription push, that splits each end-to-end sample into its stages.
 */
export async function startKafkaTap({ brokers, topicPrefix = '' }: { brokers: string[]; topicPrefix?: string }) {
  const topics = topicNames(topicPrefix);
  registerCompressionCodecs(); // whichever OUTBOX_COMPRESSION the relay was started with
  const kafka = new Kafka({ clientId: 'herald-bench-tap', brokers, logLevel: logLevel.NOTHING });
  // Its own group, from the latest offset, never committing: it reads what the run produces.
  const consumer = kafka.consumer({ groupId: `herald-bench-tap-${randomUUID()}`, maxWaitTimeInMs: 100 });
  /** Keyed by user id (new-user-created) or jti (issued-token), in performance.now() time. */
  const publishedAt = new Map<string, number>();
  const readAt = new Map<string, number>();
  const tapped = [topics.newUserCreated, topics.issuedToken];
  // Where each partition ends now: the tap starts there. "Latest" would be resolved at the first
  // fetch, after the group is joined, and an event of the run could slip in before it.
  const admin = kafka.admin();
  await admin.connect();
  const ends = await Promise.all(tapped.map(async (topic) => ({ topic, offsets: await admin.fetchTopicOffsets(topic) }))).finally(() => admin.disconnect());
  await consumer.connect();
  await consumer.subscribe({ topics: tapped, fromBeginning: false });
  const joined = new Promise<void>((resolveJoin) => consumer.on(consumer.events.GROUP_JOIN, () => resolveJoin()));
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ message }) => {
      const at = performance.now();
      const payload = (JSON.parse(message.value?.toString() ?? '{}') as { payload?: { userId?: string; jti?: string }; type?: string }).payload;
      const key = payload?.jti ?? payload?.userId;
      if (!key || readAt.has(key)) return;
      readAt.set(key, at);
      publishedAt.set(key, Number(message.timestamp) - performance.timeOrigin);
    },
  });
  for (const { topic, offsets } of ends) for (const { partition, high } of offsets) consumer.seek({ topic, partition, offset: high });
  await joined;
  return {
    publishedAt,
    readAt,
    close: () => consumer.disconnect(),
  };
}

export type KafkaTap = Awaited<ReturnType<typeof startKafkaTap>>;
