import { randomUUID } from 'node:crypto';
import { buildEvent, HEADERS, type HeraldEvent } from '@herald/events';
import { sealForTest } from '@herald/testing';

export interface SampleRecord {
  key: string;
  event: HeraldEvent;
  headers: Record<string, string>;
}

/**
 * `new-user-created` events as the producer writes them (same envelope, headers and size), one
 * per made-up user, so the bare producer and the relay move the same bytes.
 */
export function sampleRecords(count: number): SampleRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const userId = randomUUID();
    const profile = sealForTest({ username: `bench_${i}`, email: `bench_${i}@example.com`, firstName: 'Bench', lastName: null }, userId);
    const event = buildEvent('new-user-created', { userId, profile, createdAt: new Date().toISOString() });
    return { key: userId, event, headers: { [HEADERS.eventType]: event.type, [HEADERS.eventId]: event.eventId, [HEADERS.contentType]: 'application/json' } };
  });
}
