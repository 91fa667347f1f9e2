import type { EventOf, EventType } from '@herald/events';

/** An event with where it was read from: handlers record it for audits and replays. */
export interface Located<E> {
  event: E;
  partition: number;
  offset: string;
}

/**
 * What becomes of a record whose handling failed:
 * - `unavailable`: a dependency (the database) is away; nothing is committed and the batch is read again later.
 * - `retriable`: this attempt failed but another may pass: the record goes to the retry topic.
 * - `permanent`: the record can never be handled: it goes to the dead-letter queue at once, so
 *   retries do not hide it for minutes.
 */
export type FailureKind = 'unavailable' | 'retriable' | 'permanent';

/** Decides what a handler's error means (the application knows its database's errors; this library does not). */
export type ClassifyFailure = (error: unknown) => FailureKind;

/**
 * The event of one type, looked up by type rather than extracted from the union (EventOf): TypeScript
 * then sees a handler of one type as a handler of any type, so handlers of different types share a map.
 */
export type EventByType<T extends EventType> = { [K in EventType]: EventOf<K> }[T];

/**
 * Handles the events of one type. The consumers read each record with that type's deserialiser
 * (event-deserialiser.ts) before `handle` sees it, so it is given only events of its type.
 */
export interface EventHandler<T extends EventType = EventType> {
  eventType: T;
  /**
   * Handles the events all or none; returns how many were new (the rest were redeliveries, which
   * change nothing). Method syntax on purpose: a handler of one type stands in a map of handlers
   * of any type, which the consumers index by topic.
   */
  handle(records: Array<Located<EventByType<T>>>): Promise<number>;
}
