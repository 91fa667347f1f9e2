import { childTraceparent, HEADERS, type HeraldEvent } from '@herald/events';
import { defaultTracer, inSpan, startCreateSpan, traceparentOf } from '@herald/telemetry';
import { context, isSpanContextValid, type Span, type Tracer } from '@opentelemetry/api';
import type { Sequelize, Transaction } from 'sequelize';

export interface OutboxEntry {
  topic: string;
  /** The record key: the user id, so one user's events stay in order on one partition. */
  key: string;
  event: HeraldEvent;
  /** The caller's W3C trace context, continued in the record's headers when tracing is off. */
  traceparent?: string;
}

export type OutboxWriter = ReturnType<typeof createOutboxWriter>;

/**
 * Writes an event into the outbox inside the caller's transaction: it is published if and only
 * if that transaction commits. The only way producer code emits events.
 *
 * Each row is made in a `create <topic>` span (PRODUCER, a child of the request's span), and its
 * `traceparent` header is that span's context: the record's creation context, which the relay
 * sends unchanged and the consumer's spans continue. With tracing off there is no span, and the
 * header continues the caller's `traceparent` as before (a new trace when it sent none).
 */
export function createOutboxWriter({ sequelize, tracer = defaultTracer() }: { sequelize: Sequelize; tracer?: Tracer }) {
  /** The row's values as the outbox stores them: the event serialised once, published byte for byte. */
  const rowIn = ({ topic, key, event, traceparent }: OutboxEntry, span: Span) => {
    const created = span.spanContext();
    return {
      eventId: event.eventId,
      topic,
      key,
      value: JSON.stringify(event),
      headers: JSON.stringify({
        [HEADERS.eventType]: event.type,
        [HEADERS.eventId]: event.eventId,
        [HEADERS.contentType]: 'application/json',
        [HEADERS.traceparent]: isSpanContextValid(created) ? traceparentOf(created) : childTraceparent(traceparent),
      }),
    };
  };
  const creating = (entry: OutboxEntry) => startCreateSpan(tracer, { topic: entry.topic, key: entry.key, eventId: entry.event.eventId });
  const insert = async ({ eventId, topic, key, value, headers }: ReturnType<typeof rowIn>, transaction: Transaction): Promise<void> => {
    await sequelize.query('INSERT INTO outbox_events (event_id, topic, key, value, headers) VALUES ($1, $2, $3, $4, $5)', {
      bind: [eventId, topic, key, value, headers],
      transaction,
    });
  };
  return {
    /** The row alone, for a caller that inserts it in a statement of its own (refresh.ts); its span covers making it. */
    row(entry: OutboxEntry) {
      const span = creating(entry);
      try {
        return rowIn(entry, span);
      } finally {
        span.end();
      }
    },
    insert,
    // Plain SQL: this runs in every write request, and the model layer added nothing here.
    add(entry: OutboxEntry, transaction: Transaction): Promise<void> {
      const span = creating(entry);
      return inSpan(span, context.active(), () => insert(rowIn(entry, span), transaction));
    },
  };
}
