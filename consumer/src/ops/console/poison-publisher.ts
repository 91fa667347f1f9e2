import { HEADERS } from '@herald/events';
import { ACKS_ALL, type KafkaProducer } from '@herald/kafka';
import { randomUUID } from 'node:crypto';
import type { PoisonPublisher } from './operator-console';

/**
 * Failure simulation's poison record: bytes that are no event at all, on a Herald topic, so the
 * operator watches the consumer dead-letter it at once and the partition move on.
 */
export function createPoisonPublisher({ producer, topics }: { producer: KafkaProducer; topics: string[] }): PoisonPublisher {
  return {
    topics,
    async publish(topic) {
      const [sent] = await producer.send({
        topic,
        acks: ACKS_ALL,
        messages: [{ key: `poison-${randomUUID()}`, value: 'poison: not an event (published from the console)', headers: { [HEADERS.eventType]: 'poison' } }],
      });
      return { topic, partition: sent?.partition ?? -1, offset: sent?.baseOffset ?? '' };
    },
  };
}
