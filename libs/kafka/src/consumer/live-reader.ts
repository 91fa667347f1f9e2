import type { Logger } from '@herald/core';
import type { EventType } from '@herald/events';
import type { Kafka } from 'kafkajs';
import type { ConsumerMetrics } from './consumer-metrics';
import { readEventRecord } from './event-deserialiser';
import type { EventByType, Located } from './event-handler';
import { createSupervisedConsumer, type FetchSettings, type SupervisedConsumer, type Supervision } from './supervised-consumer';

/** What to do with each new event of one topic, and the one event type that topic carries. */
export interface LiveTopic<T extends EventType = EventType> {
  eventType: T;
  /** Method syntax on purpose: a listener of one type stands in a map of listeners of any type. */
  onEvent(record: Located<EventByType<T>>): void;
}

/** A topic's listener, its event type inferred from `eventType`. */
export const liveTopic = <T extends EventType>(eventType: T, onEvent: (record: Located<EventByType<T>>) => void): LiveTopic<T> => ({ eventType, onEvent });

export interface LiveReaderOptions {
  kafka: Kafka;
  /** A group of this process alone, so it gets every partition whichever task owns them for projection. */
  groupId: string;
  topics: Record<string, LiveTopic>;
  sessionTimeoutMs: number;
  fetch?: FetchSettings;
  supervision: Supervision;
  metrics: ConsumerMetrics;
  logger: Logger;
}

// Event ids recently seen: the relay publishes at least once, listeners should hear once.
const REMEMBERED = 10_000;

/**
 * Reads every partition of its topics from the latest offset, in a group of its own per process,
 * and hands each new event to its topic's listener once. It never commits, so its group leaves
 * nothing behind when the process stops; records that are no event are skipped (the projection
 * groups dead-letter them).
 */
export function createLiveReader(options: LiveReaderOptions): SupervisedConsumer {
  const { groupId, topics, logger } = options;
  const recent = new Set<string>();

  const firstTime = (eventId: string) => {
    if (recent.has(eventId)) return false;
    recent.add(eventId);
    if (recent.size > REMEMBERED) recent.delete(recent.values().next().value as string);
    return true;
  };

  const supervised = createSupervisedConsumer({
    ...options,
    topics: Object.keys(topics),
    fromBeginning: false,
    runConfig: () => ({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        const listener = topics[topic];
        if (!listener) return;
        try {
          const event = readEventRecord(message, listener.eventType);
          if (firstTime(event.eventId)) listener.onEvent({ event, partition, offset: message.offset });
        } catch (error) {
          logger.debug({ err: error, topic, partition, offset: message.offset }, 'live reader skipped a record');
        }
      },
    }),
  });
  return {
    ...supervised,
    async start() {
      await supervised.start();
      logger.info({ groupId }, 'live reader running');
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
        logger.debug({ err: error, groupId }, 'live reader group not deleted');
      } finally {
        await admin.disconnect().catch(() => {});
      }
    },
  };
}
