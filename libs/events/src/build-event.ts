import { randomUUID } from 'node:crypto';
import { eventSchemas, type EventType, type HeraldEvent } from './schemas';

type PayloadOf<T extends EventType> = Extract<HeraldEvent, { type: T }>['payload'];

/**
 * Builds a validated event envelope. Producing code never assembles envelopes by hand, so every
 * event on a topic has passed the same schema the consumer will check.
 */
export function buildEvent<T extends EventType>(
  type: T,
  payload: PayloadOf<T>,
  { eventId = randomUUID(), occurredAt = new Date() }: { eventId?: string; occurredAt?: Date } = {},
): Extract<HeraldEvent, { type: T }> {
  const schema = eventSchemas[type];
  return schema.parse({ eventId, type, version: schema.shape.version.value, occurredAt: occurredAt.toISOString(), payload }) as Extract<
    HeraldEvent,
    { type: T }
  >;
}
