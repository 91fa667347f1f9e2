import { QueryTypes, type Sequelize } from 'sequelize';
import type { OutboxWriter } from '../outbox/outbox-writer';
import { republishInBatches, type RepublishOptions } from '../outbox/republish-in-batches';
import { followChangeEvent } from './feed-events';

interface FollowRow {
  follower_id: string;
  followee_id: string;
  active: boolean;
  revision: number;
  changed_at: Date;
}

/**
 * Writes the current state of every pair into the outbox at its revision, keyed by the follower
 * as the live write is: user-followed for a pair followed now, user-unfollowed for one unfollowed.
 * The unfollowed pairs are published too, although they add no follow: the read model keeps a
 * pair's highest revision, so a user-followed of an older revision still on a topic (or replayed
 * from an earlier offset) cannot make a pair followed again that its follower has left; and the
 * rebuilt read model holds the same rows (inactive ones included) as the one it replaces.
 */
export function createFollowRepublisher({ sequelize, outbox, topics }: { sequelize: Sequelize; outbox: OutboxWriter; topics: { userFollowed: string; userUnfollowed: string } }) {
  return (options: RepublishOptions = {}): Promise<number> =>
    republishInBatches<FollowRow>({
      ...options,
      sequelize,
      outbox,
      page: (after, limit) =>
        sequelize.query<FollowRow>(
          `SELECT follower_id, followee_id, active, revision, changed_at FROM follows
            WHERE ($follower::uuid IS NULL OR (follower_id, followee_id) > ($follower::uuid, $followee::uuid))
            ORDER BY follower_id, followee_id LIMIT $limit`,
          { bind: { follower: after?.follower_id ?? null, followee: after?.followee_id ?? null, limit }, type: QueryTypes.SELECT },
        ),
      entries: (rows) =>
        rows.map((row) => ({
          topic: row.active ? topics.userFollowed : topics.userUnfollowed,
          key: row.follower_id,
          event: followChangeEvent({ followerId: row.follower_id, followeeId: row.followee_id, active: row.active, revision: row.revision, changedAt: row.changed_at }),
        })),
    });
}
