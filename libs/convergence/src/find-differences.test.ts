import { randomUUID } from 'node:crypto';
import { createLogger } from '@herald/core';
import { createSequelize, runMigrations } from '@herald/db';
import { MIGRATIONS as CONSUMER_MIGRATIONS, MIGRATION_LOCK_KEY as CONSUMER_LOCK } from '@herald/consumer/tools';
import { MIGRATIONS as PRODUCER_MIGRATIONS, MIGRATION_LOCK_KEY as PRODUCER_LOCK } from '@herald/producer/tools';
import { createTestDatabase, withClient } from '@herald/testing';
import { findDifferences } from './find-differences';

// The checker on two real databases with the services' own schemas: a small world written alike
// to both, then one read-model row broken on purpose per case, so the checker is seen to catch
// each kind of difference and cannot pass silently.

const [a, b, c, gone] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const [postOne, postTwo, deletedPost] = [randomUUID(), randomUUID(), randomUUID()];
const [endedSession, openSession, goneSession] = [randomUUID(), randomUUID(), randomUUID()];
const AT = '2026-01-02T03:04:05.678Z';
const LATER = '2026-01-02T03:05:05.678Z';

const PRODUCER_WORLD = `
  INSERT INTO users (id, username, email, password_hash, first_name, last_name, created_at, revision) VALUES
    ('${a}', 'ada', 'ada@example.com', 'x', 'Ada', 'Lovelace', '${AT}', 2),
    ('${b}', 'bob', 'bob@example.com', 'x', NULL, NULL, '${AT}', 1),
    ('${c}', 'cy', 'cy@example.com', 'x', NULL, NULL, '${AT}', 1);
  INSERT INTO sessions (id, user_id, ended_at) VALUES ('${endedSession}', '${a}', '${LATER}'), ('${openSession}', '${b}', NULL);
  INSERT INTO refresh_tokens (id, user_id, session_id, token_hash, expires_at) VALUES
    ('${randomUUID()}', '${a}', '${endedSession}', 'h1', '${LATER}'), ('${randomUUID()}', '${b}', '${openSession}', 'h2', '${LATER}');
  INSERT INTO posts (id, author_id, title, body, created_at) VALUES ('${postOne}', '${a}', 'One', 'First.', '${AT}'), ('${postTwo}', '${a}', 'Two', 'Second.', '${LATER}');
  INSERT INTO follows (follower_id, followee_id, active, revision) VALUES ('${b}', '${a}', true, 1), ('${c}', '${a}', false, 2);`;

const event = () => `'${randomUUID()}', 0, 0`;
const READ_MODELS_WORLD = `
  INSERT INTO users (id, username, email, first_name, last_name, created_at, revision, event_id, kafka_partition, kafka_offset) VALUES
    ('${a}', 'ada', 'ada@example.com', 'Ada', 'Lovelace', '${AT}', 2, ${event()}),
    ('${b}', 'bob', 'bob@example.com', NULL, NULL, '${AT}', 1, ${event()}),
    ('${c}', 'cy', 'cy@example.com', NULL, NULL, '${AT}', 1, ${event()});
  INSERT INTO issued_tokens (jti, user_id, reason, issued_at, expires_at, event_id, kafka_partition, kafka_offset) VALUES
    ('${randomUUID()}', '${a}', 'login', '${AT}', '${LATER}', ${event()}), ('${randomUUID()}', '${b}', 'login', '${AT}', '${LATER}', ${event()});
  INSERT INTO posts (id, author_id, title, body, created_at, fanned_out, event_id, kafka_partition, kafka_offset) VALUES
    ('${postOne}', '${a}', 'One', 'First.', '${AT}', true, ${event()}), ('${postTwo}', '${a}', 'Two', 'Second.', '${LATER}', true, ${event()});
  INSERT INTO follows (follower_id, followee_id, active, revision, changed_at, event_id) VALUES
    ('${b}', '${a}', true, 1, '${AT}', '${randomUUID()}'), ('${c}', '${a}', false, 2, '${AT}', '${randomUUID()}');
  INSERT INTO feed_entries (viewer_id, post_id, author_id, created_at) VALUES ('${b}', '${postOne}', '${a}', '${AT}'), ('${b}', '${postTwo}', '${a}', '${LATER}');
  INSERT INTO ended_sessions (session_id, user_id, reason, ended_at, event_id, kafka_partition, kafka_offset) VALUES
    ('${endedSession}', '${a}', 'logout', '${LATER}', ${event()}), ('${goneSession}', '${gone}', 'account-deleted', '${LATER}', ${event()});
  INSERT INTO deleted_users (user_id, deleted_at, event_id, kafka_partition, kafka_offset) VALUES ('${gone}', '${LATER}', ${event()});
  INSERT INTO deleted_posts (post_id, author_id, deleted_at, event_id, kafka_partition, kafka_offset) VALUES ('${deletedPost}', '${a}', '${LATER}', ${event()});`;

const READ_MODEL_TABLES = 'users, issued_tokens, posts, follows, feed_entries, large_authors, ended_sessions, deleted_users, deleted_posts';

async function migrated(prefix: string, migrations: Parameters<typeof runMigrations>[0]['migrations'], lockKey: number) {
  const scratch = await createTestDatabase(prefix);
  const logger = createLogger({ name: 'test', level: 'silent' });
  const database = { url: scratch.url, ssl: false, poolMax: 1 };
  const sequelize = createSequelize({ config: database, logger });
  await runMigrations({ sequelize, database, migrations, lockKey, logger }).finally(() => sequelize.close());
  return scratch;
}

describe('findDifferences, the convergence check', () => {
  let producer: Awaited<ReturnType<typeof createTestDatabase>>;
  let consumer: Awaited<ReturnType<typeof createTestDatabase>>;
  const differences = () => findDifferences({ producerDatabaseUrl: producer.url, consumerDatabaseUrl: consumer.url });

  beforeAll(async () => {
    producer = await migrated('producer_test', PRODUCER_MIGRATIONS, PRODUCER_LOCK);
    consumer = await migrated('consumer_test', CONSUMER_MIGRATIONS, CONSUMER_LOCK);
    await withClient(producer.url, (client) => client.query(PRODUCER_WORLD));
  });
  afterAll(async () => {
    await producer?.drop();
    await consumer?.drop();
  });
  beforeEach(() => withClient(consumer.url, (client) => client.query(`TRUNCATE ${READ_MODEL_TABLES}; ${READ_MODELS_WORLD}`)));

  it('finds none when the read models hold what the producer says (a deleted user\'s ended session and tombstones included)', async () => {
    expect(await differences()).toEqual([]);
  });

  const cases: Array<[what: string, breakIt: string, expected: RegExp[]]> = [
    ['a user is missing', `DELETE FROM users WHERE id = '${c}'`, [new RegExp(`^user ${c}: in the producer's database, missing from the read models$`)]],
    ['personal fields differ (named, not shown)', `UPDATE users SET email = 'someone.else@example.com', last_name = 'Byron' WHERE id = '${a}'`, [new RegExp(`^user ${a}: differs in email, last_name$`)]],
    ['an older revision was kept', `UPDATE users SET revision = 1 WHERE id = '${a}'`, [/differs in revision \(producer 2, read model 1\)$/]],
    ['a deleted user is still there', `INSERT INTO users (id, username, email, created_at, event_id, kafka_partition, kafka_offset) VALUES ('${gone}', 'gone', 'gone@example.com', '${AT}', ${event()})`, [new RegExp(`^user ${gone}: deleted .* still in the users read model$`)]],
    ['a user is unknown to the producer', `INSERT INTO users (id, username, email, created_at, event_id, kafka_partition, kafka_offset) VALUES ('${randomUUID()}', 'who', 'who@example.com', '${AT}', ${event()})`, [/in the read models, not in the producer's database$/]],
    ['a user the producer has is tombstoned', `INSERT INTO deleted_users (user_id, deleted_at, event_id, kafka_partition, kafka_offset) VALUES ('${c}', '${LATER}', ${event()})`, [new RegExp(`^user ${c}: .*deletion tombstone`)]],
    ['an issued token is missing', `DELETE FROM issued_tokens WHERE user_id = '${b}'`, [new RegExp(`^issued tokens of user ${b}: in the producer's database, missing`)]],
    ['an issued token is one too many', `INSERT INTO issued_tokens (jti, user_id, reason, issued_at, expires_at, event_id, kafka_partition, kafka_offset) VALUES ('${randomUUID()}', '${a}', 'refresh', '${AT}', '${LATER}', ${event()})`, [/^issued tokens of user .*: differs in count \(producer 1, read model 2\)$/]],
    ['a post\'s content differs', `UPDATE posts SET body = 'Edited.' WHERE id = '${postOne}'`, [new RegExp(`^post ${postOne}: differs in body$`)]],
    ['a post is missing (with its feed entry)', `DELETE FROM feed_entries WHERE post_id = '${postTwo}'; DELETE FROM posts WHERE id = '${postTwo}'`, [new RegExp(`^post ${postTwo}: in the producer's database, missing`)]],
    ['a deleted post is still there', `UPDATE deleted_posts SET post_id = '${postOne}'`, [new RegExp(`^post ${postOne}: .*deletion tombstone`)]],
    ['an unfollowed pair is still active', `UPDATE follows SET active = true, revision = 2 WHERE follower_id = '${c}'`, [
      new RegExp(`^follow ${c}->${a}: differs in active \\(producer false, read model true\\)`),
      new RegExp(`^feed entry ${postOne} in the feed of ${c}: missing`),
      new RegExp(`^feed entry ${postTwo} in the feed of ${c}: missing`),
    ]],
    ['a followed pair is inactive (its entries gone)', `UPDATE follows SET active = false WHERE follower_id = '${b}'; DELETE FROM feed_entries`, [new RegExp(`^follow ${b}->${a}: differs in active`)]],
    ['a feed entry is missing', `DELETE FROM feed_entries WHERE post_id = '${postOne}'`, [new RegExp(`^feed entry ${postOne} in the feed of ${b}: missing`)]],
    ['a feed entry is in the feed of someone who does not follow', `INSERT INTO feed_entries (viewer_id, post_id, author_id, created_at) VALUES ('${c}', '${postOne}', '${a}', '${AT}')`, [new RegExp(`^feed entry ${postOne} in the feed of ${c}: one too many, its viewer does not follow`)]],
    ['a feed entry is of a deleted post', `INSERT INTO feed_entries (viewer_id, post_id, author_id, created_at) VALUES ('${b}', '${deletedPost}', '${a}', '${AT}')`, [/one too many, its post is not in the posts read model$/]],
    ['a feed entry is of a post merged when read', `UPDATE posts SET fanned_out = false WHERE id = '${postOne}'`, [/one too many, its post was not fanned out/]],
    ['an ended session is not known', `DELETE FROM ended_sessions WHERE session_id = '${endedSession}'`, [new RegExp(`^session ${endedSession}: ended in the producer's database, not in the read models`)]],
    ['an open session is ended', `INSERT INTO ended_sessions (session_id, user_id, reason, ended_at, event_id, kafka_partition, kafka_offset) VALUES ('${openSession}', '${b}', 'logout', '${LATER}', ${event()})`, [new RegExp(`^session ${openSession}: open in the producer's database, yet ended`)]],
  ];

  it.each(cases)('when %s, it finds that difference', async (_what, breakIt, expected) => {
    await withClient(consumer.url, (client) => client.query(breakIt));
    const found = await differences();
    expect(found).toHaveLength(expected.length);
    for (const pattern of expected) expect(found.some((line) => pattern.test(line)) ? pattern : found).toEqual(pattern);
    // Ids and field names only: no e-mail, username or name of the world above is printed.
    expect(found.join('\n')).not.toMatch(/example\.com|\bada\b|\bbob\b|Lovelace|Byron|Edited|First\./);
  });
});
