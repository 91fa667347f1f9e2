import { decodeCursor, encodeCursor } from './users-read-model';

describe('user cursors', () => {
  it('round-trip the position of a user in the listing', () => {
    const user = { id: '6f1f3c1e-8a1b-4c41-9d0a-1d8a0d7e2b11', createdAt: '2026-11-22T07:00:00.000Z', username: 'a', email: 'a@b.c', firstName: null, lastName: null };
    expect(decodeCursor(encodeCursor(user))).toEqual({ createdAt: user.createdAt, id: user.id });
  });

  it('reject anything else', () => {
    expect(decodeCursor('garbage')).toBeUndefined();
    expect(decodeCursor(Buffer.from("2026-01-01|x' OR 1=1").toString('base64url'))).toBeUndefined();
  });
});
