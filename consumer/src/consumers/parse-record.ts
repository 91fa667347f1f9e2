import { parseEvent, type EventOf, type EventType, type HeraldEvent } from '@herald/events';
import type { KafkaMessage } from 'kafkajs';

/** A record whose value can never become an event (not JSON, wrong schema, wrong type). */
export class PoisonMessageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PoisonMessageError';
  }
}

/** The event in a record, checked against the shared schema and the type the topic carries. */
export function parseRecord<T extends EventType>(message: KafkaMessage, expectedType: T): EventOf<T> {
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
    // The first few issues, each cut short: a crafted record can have thousands, with long key names.
    const issues = (error as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues ?? [];
    const described = issues.slice(0, 5).map((issue) => `${issue.path.map(String).join('.').slice(0, 100) || '(root)'} ${issue.message.slice(0, 100)}`);
    throw new PoisonMessageError(`value does not match the event schema: ${described.join('; ')}`, { cause: error });
  }
  if (event.type !== expectedType) throw new PoisonMessageError(`expected a ${expectedType} event, got ${event.type}`);
  return event as EventOf<T>;
}
