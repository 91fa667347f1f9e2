import { childTraceparent, HEADERS, type HeraldEvent } from '@herald/events';
import type { Sequelize, Transaction } from 'sequelize';

export interface OutboxEntry {
  topic: string;
  /** The record key: the user id, so one user's events stay in order on one partition. */
  key: string;
  event: HeraldEvent;
  /** The caller's W3C trace context, continued in the record's headers. */
  traceparent?: string;
}

export type OutboxWriter = ReturnType<typeof createOutboxWriter>;

/**
 * Writes an event into the outbox inside the caller's transaction: it is published if and only
 * if that transaction commits. The only way producer code emits events.
 */
export function createOutboxWriter({ sequelize }: { sequelize: Sequelize }) {
  /** The row's values as the outbox stores them: the event serialised once, published byte for byte. */
  const row = ({ topic, key, event, traceparent }: OutboxEntry) => ({
    eventId: event.eventId,
    topic,
    key,
    value: JSON.stringify(event),
    headers: JSON.stringify({
      [HEADERS.eventType]: event.type,
      [HEADERS.eventId]: event.eventId,
      [HEADERS.contentType]: 'application/json',
      [HEADERS.traceparent]: childTraceparent(traceparent),
    }),
  });
  const insert = async ({ eventId, topic, key, value, headers }: ReturnType<typeof row>, transaction: Transaction): Promise<void> => {
    await sequelize.query('INSERT INTO outbox_events (event_id, topic, key, value, headers) VALUES ($1, $2, $3, $4, $5)', {
      bind: [eventId, topic, key, value, headers],
      transaction,
    });
  };
  return {
    row,
    insert,
    // Plain SQL: this runs in every write request, and the model layer added nothing here.
    add: (entry: OutboxEntry, transaction: Transaction): Promise<void> => insert(row(entry), transaction),
  };
}
