import { buildEvent } from '@herald/events';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { OutboxWriter } from '../outbox/outbox-writer';

interface UserRow {
  id: string;
  username: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  revision: number;
  created_at: Date;
  updated_at: Date;
}

/**
 * Writes an event for every user into the outbox, a batch per transaction, for the relay to
 * publish: how the read models are rebuilt once Kafka's retention has dropped the early events
 * (docs/operations.md, "Rebuild the read models"). The users table is the source of truth; each
 * event is built from the row as it is now, with a new event id, at the user's revision: a
 * `new-user-created` for a user never changed, else a `user-updated` with the whole profile, so a
 * read model that keeps the highest revision takes it over any older event still on the topics.
 */
export function createUserRepublisher({ sequelize, outbox, topics }: { sequelize: Sequelize; outbox: OutboxWriter; topics: { newUserCreated: string; userUpdated: string } }) {
  return async function republishUsers({ batchSize = 500, onBatch }: { batchSize?: number; onBatch?: (total: number) => void } = {}): Promise<number> {
    let total = 0;
    for (let after: string | null = null; ; ) {
      const rows: UserRow[] = await sequelize.query<UserRow>(
        'SELECT id, username, email, first_name, last_name, revision, created_at, updated_at FROM users WHERE ($after::uuid IS NULL OR id > $after::uuid) ORDER BY id LIMIT $limit',
        { bind: { after, limit: batchSize }, type: QueryTypes.SELECT },
      );
      if (rows.length === 0) return total;
      await sequelize.transaction(async (transaction) => {
        for (const row of rows) {
          const profile = { userId: row.id, username: row.username, email: row.email, firstName: row.first_name, lastName: row.last_name, createdAt: row.created_at.toISOString() };
          if (row.revision === 1) await outbox.add({ topic: topics.newUserCreated, key: row.id, event: buildEvent('new-user-created', profile) }, transaction);
          else {
            const event = buildEvent('user-updated', { ...profile, revision: row.revision, updatedAt: row.updated_at.toISOString() });
            await outbox.add({ topic: topics.userUpdated, key: row.id, event }, transaction);
          }
        }
      });
      total += rows.length;
      onBatch?.(total);
      after = rows.at(-1)!.id;
    }
  };
}
