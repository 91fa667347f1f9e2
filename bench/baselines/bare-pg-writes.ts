import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { buildEvent, HEADERS, topicNames, type HeraldEvent } from '@herald/events';
import { sealForTest } from '@herald/testing';
import type { PoolClient } from 'pg';
import * as consumer from '@herald/consumer/tools';
import * as producer from '@herald/producer/tools';
import { inTransaction, type BareWrites } from './bare-pg';

// The statements of each write path as the services send them, in plain SQL: what they do minus
// node, express, sequelize, zod and the JWT. Reads and abuse-limit rows around the writes are
// left out (they are part of what Herald adds).

const TOPICS = topicNames();
const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');
const inADay = () => new Date(Date.now() + 86_400_000);

/** The event's outbox row, as the producer's outbox writer stores it; its trigger sends the relay's NOTIFY on commit. */
async function insertOutbox(client: PoolClient, topic: string, key: string, event: HeraldEvent): Promise<void> {
  await client.query('INSERT INTO outbox_events (event_id, topic, key, value, headers, created_at) VALUES ($1, $2, $3, $4, $5, now())', [
    event.eventId,
    topic,
    key,
    JSON.stringify(event),
    JSON.stringify({ [HEADERS.eventType]: event.type, [HEADERS.eventId]: event.eventId, [HEADERS.contentType]: 'application/json' }),
  ]);
}

/** A username the event schema takes (3–32 characters), unique without a counter: 26 hex digits of a UUID. */
const uniqueUsername = () => `b_${randomUUID().replaceAll('-', '').slice(0, 26)}`;

async function insertUser(client: Pick<PoolClient, 'query'>, name = uniqueUsername()): Promise<string> {
  const id = randomUUID();
  await client.query('INSERT INTO users (id, username, email, password_hash) VALUES ($1, $2, $3, $4)', [id, name, `${name}@example.com`, 'not a hash']);
  return id;
}

function tokenEvent(userId: string, reason: 'login' | 'refresh') {
  const now = new Date();
  return buildEvent('issued-token', { jti: randomUUID(), userId, reason, issuedAt: now.toISOString(), expiresAt: new Date(now.getTime() + 900_000).toISOString() });
}

/** Sign-up: the user row and its `new-user-created` outbox row, in one transaction. */
export const signUpWrites: BareWrites<undefined> = {
  schema: producer,
  prepare: async (_pool, connections) => Array.from({ length: connections }, () => undefined),
  async write(client) {
    const id = randomUUID();
    const username = uniqueUsername();
    await inTransaction(client, async () => {
      const created = await client.query<{ created_at: Date }>('INSERT INTO users (id, username, email, password_hash) VALUES ($1, $2, $3, $4) RETURNING created_at', [id, username, `${username}@example.com`, 'not a hash']);
      await client.query('INSERT INTO user_keys (user_id, key) VALUES ($1, $2)', [id, randomBytes(32)]);
      // Sealing is CPU Herald adds; the baseline writes the same bytes without it.
      const event = buildEvent('new-user-created', { userId: id, profile: SEALED_PROFILE, createdAt: created.rows[0]!.created_at.toISOString() });
      await insertOutbox(client, TOPICS.newUserCreated, id, event);
    });
    return undefined;
  },
};

/** Login: a refresh token row and the `issued-token` outbox row, in one transaction. */
export const loginWrites: BareWrites<string> = {
  schema: producer,
  async prepare(pool, connections) {
    const userId = await insertUser(pool);
    return Array.from({ length: connections }, () => userId);
  },
  async write(client, userId) {
    await inTransaction(client, async () => {
      await client.query('INSERT INTO refresh_tokens (id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)', [randomUUID(), userId, sha256(newToken()), inADay()]);
      await insertOutbox(client, TOPICS.issuedToken, userId, tokenEvent(userId, 'login'));
    });
    return userId;
  },
};

/** Refresh: the used token marked, the new one inserted, the `issued-token` outbox row, in one transaction. */
export const refreshWrites: BareWrites<{ userId: string; token: string }> = {
  schema: producer,
  async prepare(pool, connections) {
    const userId = await insertUser(pool);
    const tokens = Array.from({ length: connections }, newToken);
    for (const token of tokens) await pool.query('INSERT INTO refresh_tokens (id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)', [randomUUID(), userId, sha256(token), inADay()]);
    return tokens.map((token) => ({ userId, token }));
  },
  async write(client, { userId, token }) {
    const next = newToken();
    await inTransaction(client, async () => {
      const used = await client.query(
        `UPDATE refresh_tokens SET used_at = now()
          WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now() RETURNING user_id`,
        [sha256(token)],
      );
      if (used.rowCount !== 1) throw new Error('bare refresh: the token was not usable');
      await client.query('INSERT INTO refresh_tokens (id, user_id, token_hash, expires_at, created_at) VALUES ($1, $2, $3, $4, now())', [randomUUID(), userId, sha256(next), inADay()]);
      await insertOutbox(client, TOPICS.issuedToken, userId, tokenEvent(userId, 'refresh'));
    });
    return { userId, token: next };
  },
};

const POST = { title: 'Load test', body: 'A post written by the post-load bench.' };
// Sealed once, outside the measured writes, at the size a post's and a profile's sealed fields have.
const SEALED_POST = sealForTest(POST, randomUUID());
const SEALED_PROFILE = sealForTest({ username: 'bench_user_0000', email: 'bench_user_0000@example.com', firstName: null, lastName: null }, randomUUID());

/** A post, the producer's part: the post row and its `post-created` outbox row, in one transaction. */
export const postWrites: BareWrites<string> = {
  schema: producer,
  prepare: async (pool, connections) => Promise.all(Array.from({ length: connections }, () => insertUser(pool))),
  async write(client, authorId) {
    const id = randomUUID();
    const createdAt = new Date().toISOString();
    await inTransaction(client, async () => {
      await client.query('INSERT INTO posts (id, author_id, title, body, created_at) VALUES ($1, $2, $3, $4, $5)', [id, authorId, POST.title, POST.body, createdAt]);
      await insertOutbox(client, TOPICS.postCreated, authorId, buildEvent('post-created', { postId: id, authorId, content: SEALED_POST, createdAt }));
    });
    return authorId;
  },
};

/**
 * A post, the consumer's part: the post row and its fan-out, one feed row per active follower in
 * one `INSERT … SELECT FROM follows` (the projection's statement), in one transaction. Each
 * connection posts as an author of its own with `followers` followers.
 */
export function postProjectionWrites(followers: number): BareWrites<string> {
  return {
    schema: consumer,
    async prepare(pool, connections) {
      const authors = Array.from({ length: connections }, () => randomUUID());
      for (const author of authors) {
        await pool.query(
          `INSERT INTO follows (follower_id, followee_id, active, revision, changed_at, event_id)
           SELECT gen_random_uuid(), $1, true, 1, now(), gen_random_uuid() FROM generate_series(1, $2)`,
          [author, followers],
        );
      }
      await pool.query('ANALYZE follows');
      return authors;
    },
    async write(client, authorId) {
      const id = randomUUID();
      await inTransaction(client, async () => {
        await client.query(
          `INSERT INTO posts (id, author_id, title, body, created_at, fanned_out, event_id, kafka_partition, kafka_offset)
           VALUES ($1, $2, $3, $4, now(), true, $5, 0, 0)`,
          [id, authorId, POST.title, POST.body, randomUUID()],
        );
        await client.query(
          `INSERT INTO feed_entries (viewer_id, post_id, author_id, created_at)
           SELECT follower_id, $2, followee_id, now() FROM follows WHERE followee_id = $1 AND active ON CONFLICT DO NOTHING`,
          [authorId, id],
        );
      });
      return authorId;
    },
  };
}
