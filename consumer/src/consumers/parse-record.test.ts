import { buildEvent } from '@herald/events';
import type { KafkaMessage } from 'kafkajs';
import { parseRecord, PoisonMessageError } from './parse-record';

const message = (value: string) => ({ value: Buffer.from(value), key: null, offset: '0', timestamp: '0', attributes: 0, headers: {} }) as KafkaMessage;
const user = buildEvent('new-user-created', {
  userId: '6f1f3c1e-8a1b-4c41-9d0a-1d8a0d7e2b11',
  username: 'ada',
  email: 'ada@example.com',
  firstName: null,
  lastName: null,
  createdAt: new Date().toISOString(),
});

describe('parseRecord', () => {
  it('returns the event of a valid record', () => {
    expect(parseRecord(message(JSON.stringify(user)), 'new-user-created')).toEqual(user);
  });

  it.each([
    ['not JSON', '{nope', /not valid JSON/],
    ['a schema violation', JSON.stringify({ ...user, payload: { ...user.payload, email: 'nope' } }), /payload\.email/],
    ['an event of another type', JSON.stringify(user), /expected a issued-token event/],
  ])('calls %s poison', (_what, value, reason) => {
    const type = reason.source.includes('issued-token') ? 'issued-token' : 'new-user-created';
    expect(() => parseRecord(message(value), type)).toThrow(PoisonMessageError);
    expect(() => parseRecord(message(value), type)).toThrow(reason);
  });
});
