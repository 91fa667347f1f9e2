import { NotFoundError, ValidationError } from '@herald/core';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { OutboxWriter } from '../outbox/outbox-writer';
import { followChangeEvent } from './feed-events';

export interface FollowView {
  followerId: string;
  followeeId: string;
  followedAt: string;
}

interface Change {
  revision: number;
  changed_at: Date;
}

export type Follows = ReturnType<typeof createFollows>;

/**
 * Follows, one row per pair. A change of state (followed ↔ not) bumps the pair's revision and
 * writes its event in the same transaction; asking for the state the pair is already in changes
 * nothing and publishes nothing, so following twice is one follow.
 */
export function createFollows({ sequelize, outbox, topics }: { sequelize: Sequelize; outbox: OutboxWriter; topics: { userFollowed: string; userUnfollowed: string } }) {
  const publish = async (active: boolean, followerId: string, followeeId: string, change: Change, transaction: Transaction, traceparent?: string) => {
    const event = followChangeEvent({ followerId, followeeId, active, revision: change.revision, changedAt: change.changed_at });
    await outbox.add({ topic: active ? topics.userFollowed : topics.userUnfollowed, key: followerId, event, traceparent }, transaction);
  };

  return {
    async follow(followerId: string, followeeId: string, { traceparent }: { traceparent?: string } = {}): Promise<FollowView> {
      if (followerId === followeeId) throw new ValidationError('Invalid request body: followeeId must not be yourself', { details: [{ path: 'followeeId', message: 'must not be yourself' }] });
      return sequelize.transaction(async (transaction) => {
        // Locks the followee's row against deletion for the rest of the transaction.
        const [followee] = await sequelize.query('SELECT id FROM users WHERE id = $1 FOR KEY SHARE', { bind: [followeeId], type: QueryTypes.SELECT, transaction });
        if (!followee) throw new NotFoundError('No such user to follow');
        const [changed] = await sequelize.query<Change>(
          `INSERT INTO follows (follower_id, followee_id, active, revision, changed_at) VALUES ($1, $2, true, 1, date_trunc('milliseconds', now()))
           ON CONFLICT (follower_id, followee_id) DO UPDATE SET active = true, revision = follows.revision + 1, changed_at = EXCLUDED.changed_at
             WHERE NOT follows.active
           RETURNING revision, changed_at`,
          { bind: [followerId, followeeId], type: QueryTypes.SELECT, transaction },
        );
        if (changed) {
          await publish(true, followerId, followeeId, changed, transaction, traceparent);
          return { followerId, followeeId, followedAt: changed.changed_at.toISOString() };
        }
        const [current] = await sequelize.query<Change>('SELECT revision, changed_at FROM follows WHERE follower_id = $1 AND followee_id = $2', {
          bind: [followerId, followeeId],
          type: QueryTypes.SELECT,
          transaction,
        });
        return { followerId, followeeId, followedAt: current!.changed_at.toISOString() };
      });
    },

    /** Idempotent: unfollowing someone not followed changes nothing. */
    async unfollow(followerId: string, followeeId: string, { traceparent }: { traceparent?: string } = {}): Promise<void> {
      await sequelize.transaction(async (transaction) => {
        const [changed] = await sequelize.query<Change>(
          `UPDATE follows SET active = false, revision = revision + 1, changed_at = date_trunc('milliseconds', now())
            WHERE follower_id = $1 AND followee_id = $2 AND active
            RETURNING revision, changed_at`,
          { bind: [followerId, followeeId], type: QueryTypes.SELECT, transaction },
        );
        if (changed) await publish(false, followerId, followeeId, changed, transaction, traceparent);
      });
    },
  };
}
