import { randomBytes } from 'node:crypto';

/** Header names on every Herald record. The value is the event; headers let tools route without parsing it. */
export const HEADERS = {
  eventType: 'event-type',
  eventId: 'event-id',
  contentType: 'content-type',
  traceparent: 'traceparent',
} as const;

/** A W3C traceparent of version 00 (what Herald writes and accepts); the AsyncAPI contract states it. */
export const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * A W3C trace context for a new span: same trace as `parent` when one is given and valid, a new
 * trace otherwise. Lets a sign-up be followed from the HTTP request into the consumer.
 */
export function childTraceparent(parent?: string): string {
  const match = parent ? TRACEPARENT.exec(parent) : null;
  // W3C: an id of all zeros is invalid, and so is the whole header.
  const valid = match && !/^0+$/.test(match[1]!) && !/^0+$/.test(match[2]!);
  const traceId = valid ? match[1]! : randomBytes(16).toString('hex');
  const flags = valid ? match[3]! : '01';
  return `00-${traceId}-${randomBytes(8).toString('hex')}-${flags}`;
}

export const isTraceparent = (value: string): boolean => TRACEPARENT.test(value);
