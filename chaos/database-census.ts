import { withClient } from '@herald/testing';
import type { Client } from 'pg';
import type { Acknowledged } from './load';
import { topicNames } from '@herald/events';
import type { EventType } from './kafka-census';

/**
 * Rows per event type. The producer's tables are the writes behind the events; the consumer's are
 * the read models built from them. A deleted post or account leaves both sides' tables alike (and
 * @herald/convergence checks each row), so the counts stay comparable with deletions:
 * - new-user-created: producer `users` = consumer `users` (one row per user);
 * - issued-token: producer `refresh_tokens` (one per login or refresh) = consumer `issued_tokens`;
 * - post-created: producer `posts` = consumer `posts`;
 * - user-followed + user-unfollowed: the sum of `follows.revision` (each change of a pair is one
 *   event) in the producer; the consumer keeps each pair once, at the revision it last projected,
 *   so the same sum there means every change arrived.
 */
/** What the tables hold, by the event type that writes it (follow changes counted both apart and together). */
export type RowKind = 'new-user-created' | 'issued-token' | 'post-created' | 'user-followed' | 'user-unfollowed' | 'follow-changes';

export interface RowCensus {
  rows: Record<RowKind, number>;
  /** Feed entries: in the consumer; and expected from the producer (each post × its author's active followers). */
  feedEntries: number;
  /** Read-model rows whose event wrote another row too (0 unless an event was projected twice as two rows). */
  duplicates: number;
}

const count = async (client: Client, sql: string, params: unknown[] = []) => Number((await client.query<{ n: string }>(sql, params)).rows[0]!.n);

export const producerCensus = (url: string): Promise<RowCensus> =>
  withClient(url, async (client) => {
    const followChanges = await count(client, 'SELECT coalesce(sum(revision), 0) AS n FROM follows');
    const unfollows = await count(client, 'SELECT coalesce(sum(revision / 2), 0) AS n FROM follows');
    return {
      rows: {
        'new-user-created': await count(client, 'SELECT count(*) AS n FROM users'),
        'issued-token': await count(client, 'SELECT count(*) AS n FROM refresh_tokens'),
        'post-created': await count(client, 'SELECT count(*) AS n FROM posts'),
        // Revisions alternate follow (odd), unfollow (even).
        'user-followed': followChanges - unfollows,
        'user-unfollowed': unfollows,
        'follow-changes': followChanges,
      },
      feedEntries: await count(client, 'SELECT count(*) AS n FROM posts p JOIN follows f ON f.followee_id = p.author_id AND f.active'),
      duplicates: 0,
    };
  });

export const readModelCensus = (url: string): Promise<RowCensus> =>
  withClient(url, async (client) => {
    const users = await count(client, 'SELECT count(*) AS n FROM users');
    const tokens = await count(client, 'SELECT count(*) AS n FROM issued_tokens');
    const posts = await count(client, 'SELECT count(*) AS n FROM posts');
    const followChanges = await count(client, 'SELECT coalesce(sum(revision), 0) AS n FROM follows');
    const unfollows = await count(client, 'SELECT coalesce(sum(revision / 2), 0) AS n FROM follows');
    const distinctEvents = await count(
      client,
      `SELECT (SELECT count(DISTINCT event_id) FROM users) + (SELECT count(DISTINCT event_id) FROM issued_tokens)
            + (SELECT count(DISTINCT event_id) FROM posts) AS n`,
    );
    return {
      rows: { 'new-user-created': users, 'issued-token': tokens, 'post-created': posts, 'user-followed': followChanges - unfollows, 'user-unfollowed': unfollows, 'follow-changes': followChanges },
      feedEntries: await count(client, 'SELECT count(*) AS n FROM feed_entries'),
      duplicates: users + tokens + posts - distinctEvents,
    };
  });

/**
 * Events the producer committed, per topic, from its outbox (kept for days after publishing),
 * without the events of deleted accounts: their rows leave the outbox with them, and the Kafka
 * census leaves out the same keys (`deletedUsers`, the keys of the outbox's user-deleted events).
 */
export const outboxCensus = (url: string, topics: Record<EventType, string>): Promise<{ events: Record<EventType, number>; deletedUsers: string[] }> =>
  withClient(url, async (client) => {
    const deletedUsers = (await client.query<{ key: string }>('SELECT key FROM outbox_events WHERE topic = $1', [topicNames().userDeleted])).rows.map((row) => row.key);
    const counted = await client.query<{ topic: string; n: string }>('SELECT topic, count(*) AS n FROM outbox_events WHERE NOT key = ANY($1) GROUP BY topic', [deletedUsers]);
    const byTopic = new Map(counted.rows.map((row) => [row.topic, Number(row.n)]));
    return { events: Object.fromEntries(Object.entries(topics).map(([type, topic]) => [type, byTopic.get(topic) ?? 0])) as Record<EventType, number>, deletedUsers };
  });

/** Acknowledged writes missing from the consumer's read models (not those acknowledged as deleted since, nor a deleted account's). */
export const missingFromReadModels = (url: string, acknowledged: Acknowledged): Promise<number> =>
  withClient(url, async (client) => {
    const gone = new Set([...acknowledged.deletedUsers, ...acknowledged.deletedPosts]);
    const ack = {
      users: acknowledged.users.filter((id) => !gone.has(id)),
      tokens: acknowledged.tokens.filter(({ userId }) => !gone.has(userId)).map(({ jti }) => jti),
      posts: acknowledged.posts.filter((id) => !gone.has(id)),
      follows: acknowledged.follows.filter((f) => !gone.has(f.followerId) && !gone.has(f.followeeId)),
    };
    const pairs = [...new Map(ack.follows.map((f) => [`${f.followerId}/${f.followeeId}`, f])).values()];
    const present = async (table: string, column: string, ids: string[]) => count(client, `SELECT count(*) AS n FROM ${table} WHERE ${column} = ANY($1::uuid[])`, [ids]);
    const followsPresent = await count(
      client,
      'SELECT count(*) AS n FROM follows f JOIN unnest($1::uuid[], $2::uuid[]) AS a(follower_id, followee_id) USING (follower_id, followee_id) WHERE f.active',
      [pairs.map((f) => f.followerId), pairs.map((f) => f.followeeId)],
    );
    return (
      new Set(ack.users).size - (await present('users', 'id', ack.users)) +
      new Set(ack.tokens).size - (await present('issued_tokens', 'jti', ack.tokens)) +
      new Set(ack.posts).size - (await present('posts', 'id', ack.posts)) +
      pairs.length - followsPresent
    );
  });
