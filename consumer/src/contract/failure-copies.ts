import { eventSchemas, HEADERS, KAFKA_BINDING_VERSION, keySchema, type EventType } from '@herald/events';
import { FAILURE_HEADERS } from '@herald/kafka';

type JsonSchema = Record<string, unknown>;

const text = (description: string): JsonSchema => ({ type: 'string', description });
const digits = (description: string): JsonSchema => ({ type: 'string', pattern: '^(0|[1-9][0-9]*)$', description });

/** Where a copy came from and why (libs/kafka/src/consumer/failure-headers.ts), on retry and dead-letter copies alike. */
const location: Record<string, JsonSchema> = {
  [FAILURE_HEADERS.originalTopic]: text('The topic the original record was read from.'),
  [FAILURE_HEADERS.originalPartition]: digits('Its partition.'),
  [FAILURE_HEADERS.originalOffset]: digits('Its offset: where the original is read while the topic retains it.'),
  [FAILURE_HEADERS.attempt]: digits('Retries so far: 1 on the first retry copy, up to RETRY_MAX_ATTEMPTS.'),
  [FAILURE_HEADERS.error]: text('What failed, cut short; never a value of the record.'),
  [FAILURE_HEADERS.errorType]: text('The error\'s name (EventSchemaError, NewerVersionError, ...).'),
};

/** The headers of a retry copy: the failure headers, the not-before time, and the event's own headers. */
const retryHeaders: JsonSchema = {
  type: 'object',
  required: [...Object.keys(location), FAILURE_HEADERS.notBefore],
  properties: {
    [HEADERS.eventType]: text('The event\'s type.'),
    [HEADERS.eventId]: { type: 'string', format: 'uuid' },
    [HEADERS.traceparent]: text('The original\'s trace context, when it had a valid one.'),
    ...location,
    [FAILURE_HEADERS.notBefore]: digits('When (ms since the epoch) the retry reader may handle it: exponential backoff, at most RETRY_MAX_DELAY_MS ahead.'),
  },
};

/**
 * Retry copies of every event: the event as parsed (re-serialised) with Herald's headers rebuilt,
 * or, for an event of a newer version than the consumer knows, the value as it came with its
 * headers, waiting for a consumer that knows the version.
 */
export function retryMessages(types: EventType[]): Record<string, JsonSchema> {
  return Object.fromEntries(
    types.map((type) => [
      `${type}.retry`,
      {
        name: `${type}.retry`,
        title: `${type} v${eventSchemas[type].shape.version.value}, retry copy`,
        summary: `A ${type} event whose handling failed, waiting to be tried again.`,
        contentType: 'application/json',
        headers: retryHeaders,
        payload: { $ref: `#/components/schemas/${type}` },
        bindings: { kafka: { key: keySchema(type), bindingVersion: KAFKA_BINDING_VERSION } },
      },
    ]),
  );
}

/** A dead-letter copy: any record that failed for good, byte for byte, with why in its headers. */
export const deadLetterMessage: JsonSchema = {
  name: 'dead-letter',
  title: 'Dead-letter copy',
  summary: 'A record that failed for good: after the last retry, or at once when it can never succeed (it is not a valid event).',
  description:
    'The key, value and headers are the original record\'s (without failure headers it carried), so the value is any bytes: usually an event of the topic named by x-original-topic, possibly bytes no reader could read. ' +
    'A copy too large for the topic leaves out the value (null) and the original headers, and says so in x-value-dropped. Operators browse and replay it from the console (consumer/src/ops/dead-letter/dead-letter-queue.ts).',
  contentType: 'application/octet-stream',
  headers: {
    type: 'object',
    required: [...Object.keys(location), FAILURE_HEADERS.failedAt],
    properties: {
      ...location,
      [FAILURE_HEADERS.failedAt]: { type: 'string', format: 'date-time', description: 'When it was dead-lettered.' },
      [FAILURE_HEADERS.valueDropped]: text('Set when the value and the original headers were left out to fit: how large the value was.'),
    },
  },
  payload: { description: 'The original value, byte for byte; null when x-value-dropped is set.' },
  bindings: { kafka: { key: { type: 'string', description: 'The original record\'s key (none when it was longer than a key may be).' }, bindingVersion: KAFKA_BINDING_VERSION } },
};
