import { QueryTypes, type Sequelize } from 'sequelize';
import type { OutboxWriter } from '../outbox/outbox-writer';
import { userEvent } from '../personal-data/sealed-events';
import type { UserKeys } from '../personal-data/user-keys';

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
export function createUserRepublisher({ sequelize, userKeys, outbox, topics }: { sequelize: Sequelize; userKeys: Pick<UserKeys, 'find'>; outbox: OutboxWriter; topics: { newUserCreated: string; userUpdated: string } }) {
  return async function republishUsers({ batchSize = 500, onBatch }: { batchSize?: number; onBatch?: (total: number) => void } = {}): Promise<number> {
    let total = 0;
    for (let after: string | null = null; ; ) {
      const rows: UserRow[] = await sequelize.query<UserRow>(
        'SELECT id, username, email, first_name, last_name, revision, created_at, updated_at FROM users WHERE ($after::uuid IS NULL OR id > $after::uuid) ORDER BY id LIMIT $limit',
        { bind: { after, limit: batchSize }, type: QueryTypes.SELECT },
      );
      if (rows.length === 0) return total;
      await sequelize.transaction(async (transaction) => {
        const keys = await userKeys.find(rows.map((row) => row.id), transaction);
        for (const row of rows) {
          const key = keys.get(row.id);
          if (!key) continue; // deleted since the page was read
          const event = userEvent(
            { userId: row.id, username: row.username, email: row.email, firstName: row.first_name, lastName: row.last_name, revision: row.revision, createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString() },
            key,
          );
          await outbox.add({ topic: event.type === 'new-user-created' ? topics.newUserCreated : topics.userUpdated, key: row.id, event }, transaction);
        }
      });
      total += rows.length;
      onBatch?.(total);
      after = rows.at(-1)!.id;
    }
  };
}
