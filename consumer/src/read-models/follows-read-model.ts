import type { UserFollowed, UserUnfollowed } from '@herald/events';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { Located } from '@herald/kafka';
import { lockAuthors } from './author-locks';

export interface BackfillSettings {
  /** How many of the followee's latest posts a new follow puts into the follower's feed. */
  posts: number;
}

export type FollowsReadModel = ReturnType<typeof createFollowsReadModel>;

/** Follows, written from `user-followed` and `user-unfollowed`; they backfill and clear feeds. */
export function createFollowsReadModel({ sequelize, backfill }: { sequelize: Sequelize; backfill: BackfillSettings }) {
  /**
   * Sets each pair to the state of its highest revision: an event older than what is stored
   * (a redelivery, or a follow projected after the unfollow that followed it) changes nothing.
   * Returns the pairs that changed.
   */
  async function change(records: Located<UserFollowed | UserUnfollowed>[], active: boolean, transaction: Transaction) {
    // Both users: the followee's for the backfill and the fan-out, either's for a deletion.
    await lockAuthors(sequelize, records.flatMap(({ event }) => [event.payload.followeeId, event.payload.followerId]), transaction);
    const rows = records.map(({ event }) => ({
      follower_id: event.payload.followerId,
      followee_id: event.payload.followeeId,
      revision: event.payload.revision,
      changed_at: event.payload.at,
      event_id: event.eventId,
    }));
    // One row per pair (an upsert may not touch a row twice in one statement): the latest.
    return sequelize.query<{ follower_id: string; followee_id: string }>(
      `INSERT INTO follows (follower_id, followee_id, active, revision, changed_at, event_id)
       SELECT DISTINCT ON (follower_id, followee_id) follower_id, followee_id, :active, revision, changed_at, event_id
         FROM json_to_recordset(:rows) AS r(follower_id uuid, followee_id uuid, revision integer, changed_at timestamptz, event_id uuid)
        WHERE NOT EXISTS (SELECT 1 FROM deleted_users d WHERE d.user_id IN (r.follower_id, r.followee_id))
        ORDER BY follower_id, followee_id, revision DESC
       ON CONFLICT (follower_id, followee_id) DO UPDATE
         SET active = EXCLUDED.active, revision = EXCLUDED.revision, changed_at = EXCLUDED.changed_at, event_id = EXCLUDED.event_id
         WHERE follows.revision < EXCLUDED.revision
       RETURNING follower_id, followee_id`,
      { replacements: { rows: JSON.stringify(rows), active }, type: QueryTypes.SELECT, transaction },
    );
  }

  return {
    /**
     * Projects follows, and backfills each new one: the followee's latest fanned-out posts go into
     * the follower's feed (a large account's posts are merged when the feed is read instead).
     */
    async follow(records: Located<UserFollowed>[], transaction: Transaction): Promise<number> {
      if (records.length === 0) return 0;
      const changed = await change(records, true, transaction);
      if (changed.length > 0) {
        await sequelize.query(
          `INSERT INTO feed_entries (viewer_id, post_id, author_id, created_at)
           SELECT c.follower_id, p.id, p.author_id, p.created_at
             FROM json_to_recordset(:changed) AS c(follower_id uuid, followee_id uuid)
             CROSS JOIN LATERAL (
               SELECT id, author_id, created_at FROM posts
                WHERE author_id = c.followee_id AND fanned_out
                ORDER BY created_at DESC, id DESC LIMIT :posts
             ) p
           ON CONFLICT DO NOTHING`,
          { replacements: { changed: JSON.stringify(changed), posts: backfill.posts }, transaction },
        );
      }
      return changed.length;
    },

    /** Projects unfollows, and removes the followee's posts from the follower's feed. */
    async unfollow(records: Located<UserUnfollowed>[], transaction: Transaction): Promise<number> {
      if (records.length === 0) return 0;
      const changed = await change(records, false, transaction);
      if (changed.length > 0) {
        await sequelize.query(
          `DELETE FROM feed_entries e USING json_to_recordset(:changed) AS c(follower_id uuid, followee_id uuid)
            WHERE e.viewer_id = c.follower_id AND e.author_id = c.followee_id`,
          { replacements: { changed: JSON.stringify(changed) }, transaction },
        );
      }
      return changed.length;
    },

    async counts(userId: string): Promise<{ followers: number; following: number }> {
      const [row] = await sequelize.query<{ followers: string; following: string }>(
        `SELECT (SELECT count(*) FROM follows WHERE followee_id = :userId AND active) AS followers,
                (SELECT count(*) FROM follows WHERE follower_id = :userId AND active) AS following`,
        { replacements: { userId }, type: QueryTypes.SELECT },
      );
      return { followers: Number(row?.followers ?? 0), following: Number(row?.following ?? 0) };
    },
  };
}
