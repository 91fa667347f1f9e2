import { decodeCursor, encodeCursor } from './users-read-model';

const cursorOf = (text: string) => Buffer.from(text).toString('base64url');

describe('user cursors', () => {
  it('round-trip the position of a user in the listing', () => {
    const user = { id: '6f1f3c1e-8a1b-4c41-9d0a-1d8a0d7e2b11', createdAt: '2026-11-22T07:00:00.000Z', username: 'a', email: 'a@b.c', firstName: null, lastName: null };
    expect(decodeCursor(encodeCursor(user))).toEqual({ createdAt: user.createdAt, id: user.id });
  });

  it.each([
    ['garbage', 'garbage'],
    ['an SQL-looking id', cursorOf("2026-01-01|x' OR 1=1")],
    ['a year JavaScript accepts and PostgreSQL does not', cursorOf('+275760-09-13T00:00:00.000Z|ffffffff-ffff-ffff-ffff-fffffffffff0')],
    ['year zero', cursorOf('0000-01-01T00:00:00.000Z|6f1f3c1e-8a1b-4c41-9d0a-1d8a0d7e2b11')],
    ['a day that does not exist', cursorOf('2026-02-30T00:00:00.000Z|6f1f3c1e-8a1b-4c41-9d0a-1d8a0d7e2b11')],
    ['a date without a time', cursorOf('2026-01-01|6f1f3c1e-8a1b-4c41-9d0a-1d8a0d7e2b11')],
    ['a 36-character id that is no UUID', cursorOf('2026-01-01T00:00:00.000Z|------------------------------------')],
    ['a third part', cursorOf('2026-01-01T00:00:00.000Z|6f1f3c1e-8a1b-4c41-9d0a-1d8a0d7e2b11|x')],
    ['characters outside base64url', 'YWJj+/=='],
  ])('reject %s', (_what, cursor) => {
    expect(decodeCursor(cursor)).toBeUndefined();
  });
});
