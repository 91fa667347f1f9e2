import type { Logger } from '@herald/core';
import type { IssuedToken, NewUserCreated } from '@herald/events';
import type { Kafka } from 'kafkajs';
import type { HeraldPubSub } from '../graphql/context';
import { createGroupConsumer } from './group-consumer';
import { parseRecord } from './parse-record';

export interface LiveFeedOptions {
  kafka: Kafka;
  /** A group of this process alone, so it gets every partition whichever task owns them for projection. */
  groupId: string;
  topics: { newUserCreated: string; issuedToken: string };
  pubsub: HeraldPubSub;
  sessionTimeoutMs: number;
  logger: Logger;
}

// Event ids recently pushed: the relay publishes at least once, subscribers should hear once.
const REMEMBERED = 10_000;

/**
 * Feeds GraphQL subscriptions. The projection groups split partitions between the consumer's
 * tasks, so each task sees only part of the events; this consumer, in a group of its own per
 * process, reads every partition from the latest offset and pushes each event as it is consumed.
 * It never commits, so its group leaves nothing behind when the process stops.
 */
export function createLiveFeed({ kafka, groupId, topics, pubsub, sessionTimeoutMs, logger }: LiveFeedOptions) {
  const { consumer, isJoined } = createGroupConsumer(kafka, { groupId, sessionTimeoutMs });
  const recent = new Set<string>();

  const firstTime = (eventId: string) => {
    if (recent.has(eventId)) return false;
    recent.add(eventId);
    if (recent.size > REMEMBERED) recent.delete(recent.values().next().value as string);
    return true;
  };

  return {
    async start() {
      await consumer.connect();
      await consumer.subscribe({ topics: [topics.newUserCreated, topics.issuedToken], fromBeginning: false });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => {
          try {
            if (topic === topics.newUserCreated) {
              const { eventId, payload } = parseRecord(message, 'new-user-created') as NewUserCreated;
              if (firstTime(eventId)) pubsub.publish('userCreated', { id: payload.userId, ...payload });
            } else {
              const { eventId, payload } = parseRecord(message, 'issued-token') as IssuedToken;
              if (firstTime(eventId)) pubsub.publish('tokenIssued', { ...payload, partition, offset: message.offset });
            }
          } catch (error) {
            // Poison is the projection consumers' business (they dead-letter it); here it is skipped.
            logger.debug({ err: error, topic, partition, offset: message.offset }, 'live feed skipped a record');
          }
        },
      });
      logger.info({ groupId }, 'live feed running');
    },
    stop: () => consumer.disconnect(),
    isJoined,
  };
}
