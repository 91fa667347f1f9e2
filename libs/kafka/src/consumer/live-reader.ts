import type { Logger } from '@herald/core';
import type { EventType } from '@herald/events';
import { defaultTracer, inProcessSpan } from '@herald/telemetry';
import type { Tracer } from '@opentelemetry/api';
import type { Kafka } from 'kafkajs';
import { tracedMessage } from './traced-message';
import type { ConsumerMetrics } from './consumer-metrics';
import { readEventRecord } from './event-deserialiser';
import type { EventByType, Located } from './event-handler';
import { createRecordTap } from './record-tap';
import type { FetchSettings, SupervisedConsumer, Supervision } from './supervised-consumer';

/** What to do with each new event of one topic, and the one event type that topic carries. */
export interface LiveTopic<T extends EventType = EventType> {
  eventType: T;
  /** Method syntax on purpose: a listener of one type stands in a map of listeners of any type. */
  onEvent(record: Located<EventByType<T>>): void | Promise<void>;
}

/** A topic's listener, its event type inferred from `eventType`. */
export const liveTopic = <T extends EventType>(eventType: T, onEvent: (record: Located<EventByType<T>>) => void | Promise<void>): LiveTopic<T> => ({ eventType, onEvent });

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
  /** Where the process spans come from (tests give one of their own). */
  tracer?: Tracer;
}

// Event ids recently seen: the relay publishes at least once, listeners should hear once.
const REMEMBERED = 10_000;

/**
 * Hands each new event of its topics to the topic's listener once, read by a record tap (every
 * partition from the latest offset, a group of this process alone, never committed). Records that
 * are no event are skipped: the projection groups dead-letter them.
 */
export function createLiveReader(options: LiveReaderOptions): SupervisedConsumer {
  const { groupId, topics, logger, tracer = defaultTracer() } = options;
  const recent = new Set<string>();

  const firstTime = (eventId: string) => {
    if (recent.has(eventId)) return false;
    recent.add(eventId);
    if (recent.size > REMEMBERED) recent.delete(recent.values().next().value as string);
    return true;
  };

  const tap = createRecordTap({
    ...options,
    topics: Object.keys(topics),
    onRecord: async (topic, partition, message) => {
      const listener = topics[topic];
      if (!listener) return;
      // A record that is no event throws here: the tap skips it.
      const event = readEventRecord(message, listener.eventType);
      if (!firstTime(event.eventId)) return;
      // A `process` span per record, a child of the record's creation context.
      await inProcessSpan(tracer, { topic, groupId, partition, messages: [tracedMessage(topic, message)] }, async () => listener.onEvent({ event, partition, offset: message.offset }));
    },
  });
  return {
    ...tap,
    async start() {
      await tap.start();
      logger.info({ groupId }, 'live reader running');
    },
  };
}
