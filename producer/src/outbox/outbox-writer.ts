import { childTraceparent, HEADERS, type HeraldEvent } from '@herald/events';
import type { Transaction } from 'sequelize';
import type { Models } from '../db/models';

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
export function createOutboxWriter({ models }: { models: Pick<Models, 'OutboxEvent'> }) {
  return {
    async add({ topic, key, event, traceparent }: OutboxEntry, transaction: Transaction): Promise<void> {
      await models.OutboxEvent.create(
        {
          eventId: event.eventId,
          topic,
          key,
          value: event,
          headers: {
            [HEADERS.eventType]: event.type,
            [HEADERS.eventId]: event.eventId,
            [HEADERS.contentType]: 'application/json',
            [HEADERS.traceparent]: childTraceparent(traceparent),
          },
        },
        { transaction },
      );
    },
  };
}
