import { parseEvent, type SessionEnded } from '@herald/events';
import { request } from './support/contract';
import { useTestProducer } from './support/test-producer';
import { signedInUser } from './support/users';

/** Sessions end: logout, logout everywhere, a new password, a refresh token used twice (real Kafka, real PostgreSQL). */
describe('sessions over REST', () => {
  const system = useTestProducer((topics) => [topics.sessionEnded]);

  const url = () => system.url;
  const bearer = (accessToken: string) => ({ authorization: `Bearer ${accessToken}` });
  /** A second login of the same user: another session. */
  const loginAgain = async (username: string, password: string) => {
    const login = await request(url(), 'POST', '/auth/login', { username, password });
    expect(login.status).toBe(200);
    return login.body as { accessToken: string; refreshToken: string };
  };
  const endedFor = async (userId: string, count = 1): Promise<SessionEnded[]> => {
    const records = await system.probe.waitFor((record) => record.key === userId, count);
    return records.map((record) => parseEvent(JSON.parse(record.value)) as SessionEnded);
  };
  // Any authenticated read: the producer checks the session of the token on every request.
  const canRead = async (accessToken: string, userId: string) => (await request(url(), 'GET', `/users/${userId}`, undefined, bearer(accessToken))).status;

  it('logout ends that session alone: its access and refresh tokens are refused at once, the other session goes on, and one session-ended event says so', async () => {
    const { user, auth, accessToken, refreshToken, password } = await signedInUser(url());
    const other = await loginAgain(user.username, password);

    const logout = await request(url(), 'POST', '/auth/logout', undefined, auth);
    expect(logout.status).toBe(200);
    expect(logout.body).toEqual({ endedSessions: 1 });

    expect(await canRead(accessToken, user.id)).toBe(401);
    const refused = await request(url(), 'GET', `/users/${user.id}`, undefined, auth);
    expect(refused.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'The session of this access token has ended; log in again' } });
    expect((await request(url(), 'POST', '/auth/refresh', { refreshToken })).status).toBe(401);
    expect(await canRead(other.accessToken, user.id)).toBe(200);

    const [ended] = await endedFor(user.id);
    expect(ended!.payload).toEqual({ userId: user.id, sessionIds: [expect.any(String)], reason: 'logout', endedAt: expect.any(String) });
    expect(JSON.stringify(ended)).not.toMatch(new RegExp(`${accessToken}|${refreshToken}|${password}`));
    // A second logout with the same token is refused: its session is gone.
    expect((await request(url(), 'POST', '/auth/logout', undefined, auth)).status).toBe(401);
  });

  it('logout everywhere ends every session of the user, and a refreshed session keeps its id: its newer tokens are refused too', async () => {
    const { user, auth, refreshToken, password } = await signedInUser(url());
    const other = await loginAgain(user.username, password);
    const refreshed = await request(url(), 'POST', '/auth/refresh', { refreshToken: other.refreshToken });
    expect(refreshed.status).toBe(200);

    const all = await request(url(), 'POST', '/auth/logout-all', undefined, auth);
    expect(all.body).toEqual({ endedSessions: 2 });
    expect(await canRead(refreshed.body.accessToken as string, user.id)).toBe(401);
    expect((await request(url(), 'POST', '/auth/refresh', { refreshToken })).status).toBe(401);
    expect((await request(url(), 'POST', '/auth/refresh', { refreshToken: refreshed.body.refreshToken })).status).toBe(401);

    const [ended] = await endedFor(user.id);
    expect(ended!.payload.reason).toBe('logout-all');
    expect(ended!.payload.sessionIds).toHaveLength(2);
    // A new login starts a new session, which works.
    const again = await loginAgain(user.username, password);
    expect(await canRead(again.accessToken, user.id)).toBe(200);
  });

  it('a password change needs the current password, keeps the asking session, ends every other one, and the new password logs in', async () => {
    const { user, auth, accessToken, password } = await signedInUser(url());
    const other = await loginAgain(user.username, password);
    const newPassword = 'another horse battery staple';

    const wrong = await request(url(), 'POST', '/auth/password', { currentPassword: 'not the password', newPassword }, auth);
    expect(wrong.status).toBe(403);
    expect(wrong.body).toEqual({ error: { code: 'FORBIDDEN', message: 'The current password is wrong' } });
    expect(JSON.stringify(wrong.body)).not.toContain(newPassword);
    const short = await request(url(), 'POST', '/auth/password', { currentPassword: password, newPassword: 'short' }, auth);
    expect(short.status).toBe(400);
    expect(JSON.stringify(short.body)).toMatch(/newPassword/);
    expect(JSON.stringify(short.body)).not.toContain('short"');
    expect((await request(url(), 'POST', '/auth/password', { currentPassword: password, newPassword }, {})).status).toBe(401);

    const changed = await request(url(), 'POST', '/auth/password', { currentPassword: password, newPassword }, auth);
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ endedSessions: 1 });
    expect(await canRead(accessToken, user.id)).toBe(200);
    expect(await canRead(other.accessToken, user.id)).toBe(401);
    expect((await request(url(), 'POST', '/auth/login', { username: user.username, password })).status).toBe(401);
    await loginAgain(user.username, newPassword);

    const [ended] = await endedFor(user.id);
    expect(ended!.payload.reason).toBe('password-changed');
    expect(JSON.stringify(ended)).not.toContain(newPassword);
  });

  it('a refresh token used twice ends every session of its user, the thief\'s access tokens included, and says so', async () => {
    const { user, refreshToken, password } = await signedInUser(url());
    const other = await loginAgain(user.username, password);
    const first = await request(url(), 'POST', '/auth/refresh', { refreshToken });
    expect(first.status).toBe(200);

    expect((await request(url(), 'POST', '/auth/refresh', { refreshToken })).status).toBe(401);
    expect(await canRead(first.body.accessToken as string, user.id)).toBe(401);
    expect(await canRead(other.accessToken, user.id)).toBe(401);
    const [ended] = await endedFor(user.id);
    expect(ended!.payload).toMatchObject({ reason: 'refresh-token-reused', sessionIds: expect.arrayContaining([expect.any(String), expect.any(String)]) });
  });

  it('logouts and password changes are limited per user (10 a minute), before any password hash: the 11th wrong guess is a 429', async () => {
    const { auth } = await signedInUser(url());
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt += 1) {
      statuses.push((await request(url(), 'POST', '/auth/password', { currentPassword: 'a guess', newPassword: 'whatever it may be' }, auth)).status);
    }
    expect(statuses).toEqual([...Array(10).fill(403), 429]);
  });
});
