import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sourceTopics, topicNames } from '@herald/events';
import { eventually, newUser, queryNumber, queryRows, request, testKafka } from '@herald/testing';
import { ROOT } from '@herald/local-infra';
import { groupsCaughtUp } from './support/caught-up';
import { startSystem, type TestSystem } from './support/system';

const run = promisify(execFile);

/** Every projection group of the consumer, with its topic (consumer/src/config.ts). */
const GROUPS = [
  ['users', 'newUserCreated'],
  ['user-updates', 'userUpdated'],
  ['user-deletions', 'userDeleted'],
  ['tokens', 'issuedToken'],
  ['posts', 'postCreated'],
  ['post-deletions', 'postDeleted'],
  ['follows', 'userFollowed'],
  ['unfollows', 'userUnfollowed'],
  ['sessions', 'sessionEnded'],
] as const;

/** Every read-model table of the consumer (consumer/src/db/migrations), the tombstones included. */
const READ_MODEL_TABLES = ['users', 'issued_tokens', 'posts', 'follows', 'feed_entries', 'large_authors', 'ended_sessions', 'deleted_posts', 'deleted_users'];

/**
 * What the read models hold. Left out, because a rebuild writes them anew by design: `event_id`
 * (a republished event is a new event), `kafka_offset` (a new record), `projected_at` and
 * `large_authors.since` (when the row was written). `kafka_partition` stays: the key, and so the
 * partition, is the same. Counts are what the API shows (follows-read-model.ts, counts).
 */
async function snapshot(databaseUrl: string) {
  const rows = <T extends object>(sql: string) => queryRows<T>(databaseUrl, sql);
  return {
    users: await rows('SELECT id, username, email, first_name, last_name, created_at, revision, kafka_partition FROM users ORDER BY id'),
    tokens: await rows('SELECT jti, user_id, reason, issued_at, expires_at, kafka_partition FROM issued_tokens ORDER BY jti'),
    posts: await rows('SELECT id, author_id, title, body, created_at, fanned_out, kafka_partition FROM posts ORDER BY id'),
    follows: await rows('SELECT follower_id, followee_id, active, revision, changed_at FROM follows ORDER BY follower_id, followee_id'),
    feeds: await rows('SELECT viewer_id, post_id, author_id, created_at FROM feed_entries ORDER BY viewer_id, post_id'),
    largeAuthors: await rows('SELECT author_id FROM large_authors ORDER BY author_id'),
    counts: await rows(`SELECT u.id, (SELECT count(*) FROM follows f WHERE f.followee_id = u.id AND f.active) AS followers,
                               (SELECT count(*) FROM follows f WHERE f.follower_id = u.id AND f.active) AS following
                          FROM users u ORDER BY u.id`),
    endedSessions: await rows('SELECT session_id, user_id, reason, ended_at, kafka_partition FROM ended_sessions ORDER BY session_id'),
  };
}

/** The runbook, word for word: Kafka's retention dropped the events, the read models are lost, rebuild them. */
describe('rebuilding the read models (npm run republish)', () => {
  let system: TestSystem;
  const kafka = testKafka();

  beforeAll(async () => {
    system = await startSystem();
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  const call = async (method: string, path: string, body?: unknown, accessToken?: string) => {
    const response = await request(system.producerUrl, method, path, body, accessToken ? { authorization: `Bearer ${accessToken}` } : {});
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const signUp = async () => {
    const input = newUser();
    const { id } = await call('POST', '/users', input);
    const login = async () => (await call('POST', '/auth/login', { username: input.username, password: input.password })) as { accessToken: string; refreshToken: string };
    return { id: id as string, password: input.password, login, ...(await login()) };
  };
  const tombstones = () => queryNumber(system.consumerDatabaseUrl, 'SELECT (SELECT count(*) FROM deleted_users) + (SELECT count(*) FROM deleted_posts)');
  const caughtUp = () => groupsCaughtUp(system, GROUPS.map(([group, topic]) => [group, topicNames(system.topicPrefix)[topic]] as const));

  it('when every event is gone from Kafka and every read model is emptied, republishing all from the producer brings back the same read models, without the deleted', async () => {
    // A varied history: profile changes, follows with an unfollow and a follow again, posts with a
    // deleted one, logins and a refresh, a logout, and an account deleted after it did everything.
    const [ada, bob, cy, dee] = [await signUp(), await signUp(), await signUp(), await signUp()];
    await call('PATCH', '/users/me', { firstName: 'Augusta' }, ada.accessToken);
    for (const [who, whom] of [[ada, bob], [ada, cy], [bob, ada], [cy, ada], [bob, cy], [dee, ada], [ada, dee]] as const) await call('POST', '/follows', { followeeId: whom.id }, who.accessToken);
    await call('DELETE', `/follows/${cy.id}`, undefined, ada.accessToken);
    await call('DELETE', `/follows/${cy.id}`, undefined, bob.accessToken);
    await call('POST', '/follows', { followeeId: cy.id }, bob.accessToken);
    const kept = await call('POST', '/posts', { title: 'Notes', body: 'On the engine' }, ada.accessToken);
    const gone = await call('POST', '/posts', { title: 'Draft', body: 'Not for long' }, ada.accessToken);
    for (const author of [bob, cy, dee]) await call('POST', '/posts', { title: 'Hello', body: 'First post' }, author.accessToken);
    await call('DELETE', `/posts/${gone.id}`, undefined, ada.accessToken);
    await call('POST', '/auth/refresh', { refreshToken: bob.refreshToken });
    const second = await cy.login();
    await call('POST', '/auth/logout', undefined, second.accessToken);
    await call('DELETE', '/users/me', { currentPassword: dee.password }, dee.accessToken);

    await caughtUp();
    const before = await snapshot(system.consumerDatabaseUrl);
    expect(before.posts.map((post) => (post as { id: string }).id)).toContain(kept.id);
    expect(before.endedSessions).toHaveLength(2); // cy's logout, dee's deletion
    expect(await tombstones()).toBe(2); // dee, ada's draft

    // Retention passes: every record of every topic the producer writes is gone.
    const topics = sourceTopics(topicNames(system.topicPrefix));
    const admin = kafka.admin();
    await admin.connect();
    for (const topic of topics) {
      // kafkajs deletes records only of the topic whose metadata it fetched last
      await admin.fetchTopicMetadata({ topics: [topic] });
      await admin.deleteTopicRecords({ topic, partitions: Array.from({ length: 8 }, (_, partition) => ({ partition, offset: '-1' })) });
    }
    const left = (await Promise.all(topics.map((topic) => admin.fetchTopicOffsets(topic)))).flat().reduce((sum, { low, high }) => sum + Number(high) - Number(low), 0);
    await admin.disconnect();
    expect(left).toBe(0);
    // Every read model is lost, the tombstones too.
    await queryRows(system.consumerDatabaseUrl, `TRUNCATE ${READ_MODEL_TABLES.join(', ')}`);

    const { stdout } = await run(process.execPath, [join(ROOT, 'scripts/bootstrap.mjs'), join(ROOT, 'scripts/republish.ts'), 'all'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: system.producerDatabaseUrl, KAFKA_TOPIC_PREFIX: system.topicPrefix },
    });
    expect(stdout).toMatch(/^3 users in the outbox/m);
    expect(stdout).toMatch(/^5 follows in the outbox/m); // 4 followed, ada → cy unfollowed
    expect(stdout).toMatch(/^3 posts in the outbox/m);
    expect(stdout).toMatch(/^5 unexpired access tokens .* and 1 sessions ended/m); // ada 1, bob 2, cy 2; cy's logout

    // The deleted account never returns, and a tombstone needs nothing to guard after the wipe: no
    // event of it is left anywhere, and the producer keeps nothing of it (its sessions went with the
    // account, so its ended session does not return either: its access tokens open nothing, as
    // nothing of the user is left in any read model and the producer refuses them). The deleted
    // post's tombstone likewise. Everything else comes back as it was.
    const expected = { ...before, endedSessions: before.endedSessions.filter((row) => (row as { user_id: string }).user_id !== dee.id) };
    await caughtUp();
    const rebuilt = async () => JSON.stringify(await snapshot(system.consumerDatabaseUrl)) === JSON.stringify(expected);
    // On a timeout the assertion below names every difference.
    await eventually(rebuilt, { timeoutMs: 60_000, what: 'the read models rebuilt' }).catch(() => {});
    expect(await snapshot(system.consumerDatabaseUrl)).toEqual(expected);
    expect(await tombstones()).toBe(0);
    expect(JSON.stringify(expected)).not.toContain(dee.id);
  }, 180_000);
});
