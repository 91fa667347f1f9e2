import { randomBytes } from 'node:crypto';
import { topicNames } from '@herald/events';
import { Kafka, logLevel } from 'kafkajs';

/**
 * The event topics the load writes, by the event type each carries. Its user-deleted events, and
 * the session-ended events of those deletions, are all keyed by deleted users, whom both censuses
 * leave out (database-census.ts, outboxCensus), so those two topics are not counted.
 */
export const EVENT_TOPICS = (() => {
  const topics = topicNames();
  return {
    'new-user-created': topics.newUserCreated,
    'user-updated': topics.userUpdated,
    'issued-token': topics.issuedToken,
    'post-created': topics.postCreated,
    'post-deleted': topics.postDeleted,
    'user-followed': topics.userFollowed,
    'user-unfollowed': topics.userUnfollowed,
  };
})();
export type EventType = keyof typeof EVENT_TOPICS;

export interface KafkaCensus {
  /** Distinct `eventId`s per event type, over every record of its topic. */
  distinct: Record<EventType, number>;
  /** Records per event type: more than distinct when the relay published an event twice. */
  records: Record<EventType, number>;
  /** Records on the dead-letter queue: events the consumer gave up on. */
  deadLettered: number;
}

/**
 * Reads every event topic from its first offset to its end (as it is when the census starts) with
 * a consumer group of its own, and counts records and distinct event ids per event type, leaving
 * out the records keyed by `excludedKeys` (deleted users, whose outbox rows are gone).
 */
export async function takeKafkaCensus(brokers: string[], { excludedKeys = [], timeoutMs = 120_000 }: { excludedKeys?: string[]; timeoutMs?: number } = {}): Promise<KafkaCensus> {
  const excluded = new Set(excludedKeys);
  const kafka = new Kafka({ clientId: 'herald-chaos-census', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `herald-chaos-census-${randomBytes(4).toString('hex')}`;
  const consumer = kafka.consumer({ groupId, maxBytes: 16 * 1024 * 1024 });
  try {
    const typeOf = new Map(Object.entries(EVENT_TOPICS).map(([type, topic]) => [topic, type as EventType]));
    const ends = new Map<string, number>();
    for (const topic of typeOf.keys()) for (const { partition, high } of await admin.fetchTopicOffsets(topic)) if (Number(high) > 0) ends.set(`${topic}:${partition}`, Number(high));
    const deadLettered = (await admin.fetchTopicOffsets(topicNames().deadLetter)).reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);

    const ids = Object.fromEntries(Object.keys(EVENT_TOPICS).map((type) => [type, new Set<string>()])) as Record<EventType, Set<string>>;
    const records = Object.fromEntries(Object.keys(EVENT_TOPICS).map((type) => [type, 0])) as Record<EventType, number>;
    const remaining = new Set(ends.keys());
    let finished: () => void = () => {};
    const allRead = new Promise<void>((resolveRead) => (finished = resolveRead));
    if (remaining.size === 0) finished();
    await consumer.connect();
    await consumer.subscribe({ topics: [...typeOf.keys()], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const type = typeOf.get(batch.topic)!;
        const end = ends.get(`${batch.topic}:${batch.partition}`) ?? 0;
        for (const message of batch.messages) {
          if (Number(message.offset) >= end) break;
          const counted = !excluded.has(message.key?.toString() ?? '');
          if (counted) records[type] += 1;
          if (counted) ids[type].add((JSON.parse(message.value?.toString() ?? '{}') as { eventId?: string }).eventId ?? `no-event-id@${message.offset}`);
          if (Number(message.offset) === end - 1 && remaining.delete(`${batch.topic}:${batch.partition}`) && remaining.size === 0) finished();
        }
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      allRead,
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`Kafka census: ${remaining.size} partitions not read to their end within ${timeoutMs / 1000} s`)), timeoutMs))),
    ]).finally(() => clearTimeout(timer));
    const distinct = Object.fromEntries(Object.entries(ids).map(([type, set]) => [type, set.size])) as Record<EventType, number>;
    return { distinct, records, deadLettered };
  } finally {
    await consumer.disconnect().catch(() => {});
    await admin.deleteGroups([groupId]).catch(() => {});
    await admin.disconnect();
  }
}
