import { parseEvent, type HeraldEvent } from '@herald/events';
import type { KafkaMessage } from 'kafkajs';

/** A record whose value can never become an event (not JSON, wrong schema, wrong type). */
export class PoisonMessageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PoisonMessageError';
  }
}

/** The event in a record, checked against the shared schema and the type the topic carries. */
export function parseRecord(message: KafkaMessage, expectedType: HeraldEvent['type']): HeraldEvent {
  let json: unknown;
  try {
    json = JSON.parse(message.value?.toString() ?? '');
  } catch (error) {
    throw new PoisonMessageError('value is not valid JSON', { cause: error });
  }
  let event: HeraldEvent;
  try {
    event = parseEvent(json);
  } catch (error) {
    const issues = (error as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues ?? [];
    throw new PoisonMessageError(`value does not match the event schema: ${issues.map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`).join('; ')}`, { cause: error });
  }
  if (event.type !== expectedType) throw new PoisonMessageError(`expected a ${expectedType} event, got ${event.type}`);
  return event;
}
