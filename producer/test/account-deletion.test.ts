import { parseEvent } from '@herald/events';
import { eventually, queryNumber } from '@herald/testing';
import { request } from './support/contract';
import { outboxCounts } from './support/outbox';
import { useTestProducer } from './support/test-producer';
import { signedInUser } from './support/users';

/** A user deletes their account: nothing of it is left in the producer, and user-deleted says so (real Kafka, real PostgreSQL). */
describe('account deletion over REST', () => {
  const system = useTestProducer((topics) => [topics.userDeleted, topics.sessionEnded]);

  const url = () => system.url;
  const count = (sql: string, params: unknown[]) => queryNumber(system.database.url, sql, params);

  it('needs the current password: missing is 400, wrong is 403, and nothing is deleted', async () => {
    const { user, auth } = await signedInUser(url());
    expect((await request(url(), 'DELETE', '/users/me', {}, auth)).status).toBe(400);
    const wrong = await request(url(), 'DELETE', '/users/me', { currentPassword: 'not it' }, auth);
    expect(wrong.status).toBe(403);
    expect(JSON.stringify(wrong.body)).not.toContain('not it');
    expect((await request(url(), 'DELETE', '/users/me', { currentPassword: 'x' }, {})).status).toBe(401);
    expect(await count('SELECT count(*) FROM users WHERE id = $1', [user.id])).toBe(1);
  });

  it('deletes the user, credentials, sessions, posts, follows both ways, the outbox rows and rate-limit rows of the user; publishes user-deleted with the id alone; the username is free again', async () => {
    const { user, auth, password, accessToken } = await signedInUser(url());
    const friend = await signedInUser(url());
    await request(url(), 'POST', '/posts', { title: 'Soon gone', body: 'A post of a user who leaves.' }, auth);
    await request(url(), 'POST', '/follows', { followeeId: friend.user.id }, auth);
    await request(url(), 'POST', '/follows', { followeeId: user.id }, friend.auth);
    await eventually(async () => (await outboxCounts(system.database.url)).pending === 0, { what: 'outbox drained' });

    expect((await request(url(), 'DELETE', '/users/me', { currentPassword: password }, auth)).status).toBe(204);

    for (const [table, column] of [['users', 'id'], ['refresh_tokens', 'user_id'], ['sessions', 'user_id'], ['posts', 'author_id'], ['follows', 'follower_id'], ['follows', 'followee_id']] as const) {
      expect([table, column, await count(`SELECT count(*) FROM ${table} WHERE ${column} = $1`, [user.id])]).toEqual([table, column, 0]);
    }
    // Left: only the events of the deletion, which hold the id alone.
    const left = await queryNumber(system.database.url, "SELECT count(*) FROM outbox_events WHERE key = $1 AND topic NOT IN ($2, $3)", [user.id, system.config.topics.userDeleted, system.config.topics.sessionEnded]);
    expect(left).toBe(0);
    expect(await count("SELECT count(*) FROM outbox_events WHERE value::text LIKE '%' || $1 || '%'", [user.email])).toBe(0);
    expect(await count("SELECT count(*) FROM rate_limits WHERE key LIKE '%' || $1", [user.username.toLowerCase()])).toBe(0);

    const [deleted] = await system.probe.waitFor((record) => record.topic === system.config.topics.userDeleted && record.key === user.id);
    expect(parseEvent(JSON.parse(deleted!.value))).toMatchObject({ type: 'user-deleted', payload: { userId: user.id } });
    expect(deleted!.value).not.toContain(user.email);
    expect(deleted!.value).not.toContain(user.username);
    const [ended] = await system.probe.waitFor((record) => record.topic === system.config.topics.sessionEnded && record.key === user.id);
    expect(JSON.parse(ended!.value).payload.reason).toBe('account-deleted');

    expect((await request(url(), 'GET', `/users/${friend.user.id}`, undefined, { authorization: `Bearer ${accessToken}` })).status).toBe(401);
    expect((await request(url(), 'POST', '/auth/login', { username: user.username, password })).status).toBe(401);
    expect((await signedInUser(url(), { username: user.username })).user.username).toBe(user.username);
  });
});
