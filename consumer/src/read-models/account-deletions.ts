import type { UserDeleted } from '@herald/events';
import type { Located } from '@herald/kafka';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { lockAuthors } from './author-locks';

export type AccountDeletions = ReturnType<typeof createAccountDeletions>;

/**
 * Deleted accounts: everything of the user leaves every read model, and a tombstone of the id
 * stays, which every projection checks before it writes anything of a user. Under the users'
 * locks, which every projection of a user's data takes too, so none can write in between.
 */
export function createAccountDeletions({ sequelize }: { sequelize: Sequelize }) {
  return {
    /** Deletes the users of these events from every read model; returns how many were new. */
    async delete(records: Located<UserDeleted>[], transaction: Transaction): Promise<number> {
      if (records.length === 0) return 0;
      await lockAuthors(sequelize, records.map(({ event }) => event.payload.userId), transaction);
      const rows = records.map(({ event, partition, offset }) => ({ user_id: event.payload.userId, deleted_at: event.payload.deletedAt, event_id: event.eventId, kafka_partition: partition, kafka_offset: offset }));
      const tombstones = await sequelize.query<{ user_id: string }>(
        `INSERT INTO deleted_users (user_id, deleted_at, event_id, kafka_partition, kafka_offset)
         SELECT * FROM json_to_recordset(:rows) AS r(user_id uuid, deleted_at timestamptz, event_id uuid, kafka_partition integer, kafka_offset bigint)
         ON CONFLICT (user_id) DO NOTHING
         RETURNING user_id`,
        { replacements: { rows: JSON.stringify(rows) }, type: QueryTypes.SELECT, transaction },
      );
      if (tombstones.length === 0) return 0;
      const replacements = { ids: JSON.stringify(tombstones.map((row) => row.user_id)) };
      const ids = '(SELECT value::uuid FROM json_array_elements_text(:ids))';
      for (const statement of [
        `DELETE FROM feed_entries WHERE viewer_id IN ${ids} OR author_id IN ${ids}`,
        `DELETE FROM posts WHERE author_id IN ${ids}`,
        `DELETE FROM large_authors WHERE author_id IN ${ids}`,
        `DELETE FROM follows WHERE follower_id IN ${ids} OR followee_id IN ${ids}`,
        `DELETE FROM issued_tokens WHERE user_id IN ${ids}`,
        `DELETE FROM users WHERE id IN ${ids}`,
      ]) {
        await sequelize.query(statement, { replacements, transaction });
      }
      return tombstones.length;
    },
  };
}
