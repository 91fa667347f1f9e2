import { buildEvent } from '@herald/events';
import type { KafkaMessage } from 'kafkajs';
import { eventDeserialiser, PoisonMessageError } from './event-deserialiser';

const message = (value: string) => ({ value: Buffer.from(value), key: null, offset: '0', timestamp: '0', attributes: 0, headers: {} }) as KafkaMessage;
const user = buildEvent('new-user-created', {
  userId: '6f1f3c1e-8a1b-4c41-9d0a-1d8a0d7e2b11',
  // A JWE's shape is all the schema checks (@herald/events' sealed.test.ts opens real ones).
  profile: 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXYtaXYtaXYtaXY.Y2lwaGVydGV4dA.dGFnLXRhZy10YWctdGFn',
  createdAt: new Date().toISOString(),
});

describe('eventDeserialiser', () => {
  it('returns the event of a valid record', () => {
    expect(eventDeserialiser('new-user-created')(message(JSON.stringify(user)))).toEqual(user);
  });

  it.each([
    ['not JSON', '{nope', /not valid JSON/],
    ['a schema violation', JSON.stringify({ ...user, payload: { ...user.payload, profile: 'nope' } }), /payload\.profile/],
    ['an event of another type', JSON.stringify(user), /expected a issued-token event/],
  ])('calls %s poison', (_what, value, reason) => {
    const type = reason.source.includes('issued-token') ? 'issued-token' : 'new-user-created';
    expect(() => eventDeserialiser(type)(message(value))).toThrow(PoisonMessageError);
    expect(() => eventDeserialiser(type)(message(value))).toThrow(reason);
  });
});
