import { buildEvent } from './build-event';
import { EventSchemaError, NewerVersionError, readEvent, type Upgrade } from './read-event';

const userId = '6f1f3c1e-8a1b-4c41-9d0a-1d8a0d7e2b11';
// A JWE's shape is all the schema checks; sealed.test.ts seals and opens real ones.
const profile = 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXYtaXYtaXYtaXY.Y2lwaGVydGV4dA.dGFnLXRhZy10YWctdGFn';
const user = buildEvent('new-user-created', { userId, profile, createdAt: new Date().toISOString() });
const wire = (event: unknown) => JSON.parse(JSON.stringify(event)) as Record<string, unknown>;

describe('reading events (tolerant reader)', () => {
  it('reads an event as it was written', () => {
    expect(readEvent(wire(user))).toEqual(user);
  });

  it('ignores fields it does not know, in the payload and in the envelope (a producer that added them was deployed first)', () => {
    const added = { ...wire(user), schemaHint: 'x', payload: { ...user.payload, displayName: 'Ada L.' } };
    expect(readEvent(added)).toEqual(user);
  });

  it('throws NewerVersionError, which is retriable, for a version newer than it knows', () => {
    const read = () => readEvent({ ...wire(user), version: 3, payload: { something: 'else' } });
    expect(read).toThrow(NewerVersionError);
    expect(read).toThrow(/new-user-created version 3 is newer than this consumer knows \(2\)/);
    expect(new NewerVersionError('t', 2, 1).retriable).toBe(true);
  });

  it('upgrades an older version step by step before it reads it', () => {
    // As if version 1 had named the sealed profile `sealed`.
    const upgrades: Record<number, Upgrade> = { 1: ({ payload, ...rest }) => ({ ...rest, version: 2, payload: { ...(payload as object), profile: (payload as { sealed: string }).sealed } }) };
    const old = { ...wire(user), version: 1, payload: { ...user.payload, profile: undefined, sealed: profile } };
    expect(readEvent(old, { upgrades: { 'new-user-created': upgrades } })).toEqual(user);
  });

  it.each([
    ['not an envelope', 'nope', /\(root\)/],
    ['an unknown type', { ...wire(user), type: 'user-renamed' }, /type is not an event type this consumer knows/],
    // Version 1 carried the profile in plain text; nothing can seal it on the way in.
    ['a version without an upgrade', { ...wire(user), version: 1 }, /version 1 of new-user-created can no longer be read/],
    ['a broken payload', { ...wire(user), payload: { ...user.payload, profile: 'not-a-jwe' } }, /payload\.profile/],
    ['a version that is no integer', { ...wire(user), version: 1.5 }, /version/],
  ])('refuses %s with an EventSchemaError', (_what, value, reason) => {
    expect(() => readEvent(value)).toThrow(EventSchemaError);
    expect(() => readEvent(value)).toThrow(reason);
  });

  it('never repeats a value in its reasons', () => {
    expect(() => readEvent({ ...wire(user), payload: { ...user.payload, profile: 'secret-value' } })).not.toThrow(/secret-value/);
  });
});
