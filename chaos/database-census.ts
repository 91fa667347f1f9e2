import { withClient } from '@herald/testing';
import type { Client } from 'pg';
import type { Acknowledged } from './load';
import type { EventType } from './kafka-census';

/**
 * Rows per event type. The producer's tables are the writes behind the events; the consumer's are
 * the read models built from them:
 * - new-user-created: producer `users` = consumer `users` (one row per user);
 * - issued-token: producer `refresh_tokens` (one per login or refresh) = consumer `issued_tokens`;
 * - post-created: producer `posts` = consumer `posts`;
 * - user-followed + user-unfollowed: the sum of `follows.revision` (each change of a pair is one
 *   event) in the producer; the consumer keeps each pair once, at the revision it last projected,
 *   so the same sum there means every change arrived.
 */
export interface RowCensus {
  rows: Record<EventType | 'follow-changes', number>;
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

/** Acknowledged writes missing from the consumer's read models. */
export const missingFromReadModels = (url: string, ack: Acknowledged): Promise<number> =>
  withClient(url, async (client) => {
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
