import { HEADERS } from '@herald/events';
import type { TracedMessage } from '@herald/telemetry';
import type { KafkaMessage } from 'kafkajs';
import { headerValue } from './failure-headers';

/** A record as its spans see it: where it is, its key (an entity id) and the creation context it carries; never its value. */
export const tracedMessage = (topic: string, message: KafkaMessage): TracedMessage => ({
  topic,
  key: message.key?.toString(),
  eventId: headerValue(message.headers, HEADERS.eventId),
  traceparent: headerValue(message.headers, HEADERS.traceparent),
  offset: message.offset,
});
