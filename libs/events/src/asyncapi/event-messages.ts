import { HEADERS, TRACEPARENT } from '../headers';
import { eventSchemas, KEY_FIELDS, type EventType } from '../schemas';
import { EVENT_SUMMARIES } from './event-summaries';
import { describeSealed, jsonSchemaOf, SEALED_CONTENTS, SEALED_FIELDS } from './sealed-fields';

type JsonSchema = Record<string, unknown>;

/** The Kafka bindings' version the contract uses (AsyncAPI's kafka bindings 0.5.0). */
export const KAFKA_BINDING_VERSION = '0.5.0';

/**
 * What the writer/reader split means for every message: the payload schema is the writer's, and
 * a reader accepts more than it (libs/events/src/read-event.ts).
 */
export const READER_TOLERANCE =
  'The payload schema is the writer\'s: producers validate every event against it before it is published, so a value on the topic has no field outside it (additionalProperties false). ' +
  'Readers are tolerant (libs/events/src/read-event.ts): they drop fields they do not know, in the envelope and the payload, so a writer may add an optional field before its readers are deployed; ' +
  'they upgrade an event of an older version step by step; an event of a newer version than they know waits on the retry topic until a reader that knows it reads it.';

/** The headers the producer writes on every event (libs/events/src/headers.ts, producer/src/outbox/outbox-writer.ts). */
function eventHeaders(type: EventType): JsonSchema {
  return {
    type: 'object',
    required: [HEADERS.eventType, HEADERS.eventId, HEADERS.contentType, HEADERS.traceparent],
    properties: {
      [HEADERS.eventType]: { type: 'string', const: type, description: 'The envelope\'s type, so tools route without parsing the value.' },
      [HEADERS.eventId]: { type: 'string', format: 'uuid', description: 'The envelope\'s eventId.' },
      [HEADERS.contentType]: { type: 'string', const: 'application/json' },
      [HEADERS.traceparent]: { type: 'string', pattern: TRACEPARENT.source, description: 'W3C trace context of the request that caused the event.' },
    },
  };
}

/** The envelope's JSON Schema with each sealed field described. */
function payloadSchema(type: EventType): JsonSchema {
  const schema = jsonSchemaOf(eventSchemas[type]);
  const sealed = SEALED_FIELDS[type];
  if (!sealed) return schema;
  const payload = (schema.properties as Record<string, JsonSchema>).payload as JsonSchema;
  const fields = payload.properties as Record<string, JsonSchema>;
  fields[sealed.field] = describeSealed(fields[sealed.field] as JsonSchema, sealed);
  return schema;
}

/** The record key's schema: the id of the user the event is about. */
export const keySchema = (type: EventType): JsonSchema => ({
  type: 'string',
  format: 'uuid',
  description: `payload.${KEY_FIELDS[type]}: every event of one user lands on one partition, in order.`,
});

/**
 * Every event type as an AsyncAPI message (its headers, record key and envelope) and the schemas
 * they refer to, generated from the zod schemas in schemas.ts and sealed.ts.
 */
export function eventMessages(): { messages: Record<string, JsonSchema>; schemas: Record<string, JsonSchema> } {
  const types = Object.keys(eventSchemas) as EventType[];
  const messages = Object.fromEntries(
    types.map((type) => [
      type,
      {
        name: type,
        title: `${type} v${eventSchemas[type].shape.version.value}`,
        summary: EVENT_SUMMARIES[type],
        description: READER_TOLERANCE,
        contentType: 'application/json',
        headers: eventHeaders(type),
        payload: { $ref: `#/components/schemas/${type}` },
        bindings: { kafka: { key: keySchema(type), bindingVersion: KAFKA_BINDING_VERSION } },
      },
    ]),
  );
  const schemas = {
    ...Object.fromEntries(types.map((type) => [type, payloadSchema(type)])),
    ...Object.fromEntries(Object.entries(SEALED_CONTENTS).map(([name, schema]) => [name, jsonSchemaOf(schema)])),
  };
  return { messages, schemas };
}
