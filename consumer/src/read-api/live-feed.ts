import type { Logger } from '@herald/core';
import type { Kafka } from 'kafkajs';
import type { HeraldPubSub } from '../graphql/context';
import type { ConsumerMetrics } from '../http/metrics';
import { parseRecord } from './parse-record';
import { createSupervisedConsumer, type FetchSettings, type SupervisedConsumer, type Supervision } from './supervised-consumer';

export interface LiveFeedOptions {
  kafka: Kafka;
  /** A group of this process alone, so it gets every partition whichever task owns them for projection. */
  groupId: string;
  topics: { newUserCreated: string; issuedToken: string };
  pubsub: HeraldPubSub;
  sessionTimeoutMs: number;
  fetch?: FetchSettings;
  supervision: Supervision;
  metrics: ConsumerMetrics;
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
export function createLiveFeed(options: LiveFeedOptions): SupervisedConsumer {
  const { groupId, topics, pubsub, logger } = options;
  const recent = new Set<string>();

  const firstTime = (eventId: string) => {
    if (recent.has(eventId)) return false;
    recent.add(eventId);
    if (recent.size > REMEMBERED) recent.delete(recent.values().next().value as string);
    return true;
  };

  const supervised = createSupervisedConsumer({
    ...options,
    topics: [topics.newUserCreated, topics.issuedToken],
    fromBeginning: false,
    runConfig: () => ({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        try {
          if (topic === topics.newUserCreated) {
            const { eventId, payload } = parseRecord(message, 'new-user-created');
            if (firstTime(eventId)) pubsub.publish('userCreated', { id: payload.userId, ...payload });
          } else {
            const { eventId, payload } = parseRecord(message, 'issued-token');
            if (firstTime(eventId)) pubsub.publish('tokenIssued', { ...payload, partition, offset: message.offset });
          }
        } catch (error) {
          // Poison is the projection consumers' business (they dead-letter it); here it is skipped.
          logger.debug({ err: error, topic, partition, offset: message.offset }, 'live feed skipped a record');
        }
      },
    }),
  });
  return {
    ...supervised,
    async start() {
      await supervised.start();
      logger.info({ groupId }, 'live feed running');
    },
    async stop() {
      await supervised.stop();
      // The group is this process's alone and never committed: remove it now rather than leave an
      // empty group for the broker's clean-up to find minutes later.
      const admin = options.kafka.admin();
      try {
        await admin.connect();
        await admin.deleteGroups([groupId]);
      } catch (error) {
        logger.debug({ err: error, groupId }, 'live feed group not deleted');
      } finally {
        await admin.disconnect().catch(() => {});
      }
    },
  };
}
