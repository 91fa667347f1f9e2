import { EventSchemaError, readEvent, type EventType, type HeraldEvent } from '@herald/events';
import type { EventByType } from './event-handler';
import type { KafkaMessage } from 'kafkajs';
import { z } from 'zod';

/** A record whose value can never become an event (not JSON, wrong schema, wrong type). */
export class PoisonMessageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PoisonMessageError';
  }
}

const undecodableBatch = z.object({ reason: z.string(), firstOffset: z.string(), lastOffset: z.string() }).optional();

/**
 * Set on the stand-in record that Herald's kafkajs patch puts at the last offset of a batch it
 * could not read (patches/README.md), never from the wire: dead-lettering it moves past the batch.
 * Read here alone, so the patch shows nowhere else.
 */
const undecodableBatchOf = (message: KafkaMessage) => undecodableBatch.parse(Reflect.get(message, 'undecodableBatch'));

/**
 * The event in a record, read as a tolerant reader (unknown fields ignored, older versions
 * upgraded) and checked against the type the topic carries. A record that can never be an event
 * throws PoisonMessageError; one of a newer version than this consumer knows throws the
 * NewerVersionError of `readEvent`, for the caller to keep until a newer consumer reads it.
 */
export function readEventRecord<T extends EventType>(message: KafkaMessage, expectedType: T): EventByType<T> {
  const undecodable = undecodableBatchOf(message);
  if (undecodable) throw new PoisonMessageError(`record batch of offsets ${undecodable.firstOffset} to ${undecodable.lastOffset} not read: ${undecodable.reason}`);
  let json: unknown;
  try {
    json = JSON.parse(message.value?.toString() ?? '');
  } catch (error) {
    throw new PoisonMessageError('value is not valid JSON', { cause: error });
  }
  // The type first: a record of another type is poison here, whatever version it claims.
  const type = (json as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && type !== expectedType) throw new PoisonMessageError(`expected a ${expectedType} event, got another type`);
  let event: HeraldEvent;
  try {
    event = readEvent(json);
  } catch (error) {
    if (!(error instanceof EventSchemaError)) throw error;
    throw new PoisonMessageError(`value does not match the event schema: ${error.message}`, { cause: error });
  }
  if (event.type !== expectedType) throw new PoisonMessageError(`expected a ${expectedType} event, got another type`);
  return event as EventByType<T>;
}

/** A topic's deserialiser: its records read as events of the one type the topic carries. */
export type EventDeserialiser<T extends EventType> = (message: KafkaMessage) => EventByType<T>;

export const eventDeserialiser =
  <T extends EventType>(eventType: T): EventDeserialiser<T> =>
  (message) =>
    readEventRecord(message, eventType);
