import { QueryTypes, type Sequelize } from 'sequelize';
import type { OutboxWriter } from '../outbox/outbox-writer';
import { republishInBatches, type RepublishOptions } from '../outbox/republish-in-batches';
import { userEvent } from '../personal-data/sealed-events';

interface UserRow {
  id: string;
  username: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  revision: number;
  created_at: Date;
  updated_at: Date;
  key: Buffer;
}

/**
 * Writes an event for every user into the outbox, for the relay to publish: how the read models
 * are rebuilt once Kafka's retention has dropped the early events (docs/operations.md, "Rebuild
 * the read models"). The users table is the source of truth; each event is built from the row as
 * it is now, with a new event id, at the user's revision, its profile sealed under the user's key:
 * a `new-user-created` for a user never changed, else a `user-updated` with the whole profile, so
 * a read model that keeps the highest revision takes it over any older event still on the topics.
 * Deleted users are gone from the table (their keys with them), so nothing of them is published again.
 */
export function createUserRepublisher({ sequelize, outbox, topics }: { sequelize: Sequelize; outbox: OutboxWriter; topics: { newUserCreated: string; userUpdated: string } }) {
  return (options: RepublishOptions = {}): Promise<number> =>
    republishInBatches<UserRow>({
      ...options,
      sequelize,
      outbox,
      page: (after, limit) =>
        sequelize.query<UserRow>(
          `SELECT u.id, u.username, u.email, u.first_name, u.last_name, u.revision, u.created_at, u.updated_at, k.key
           FROM users u JOIN user_keys k ON k.user_id = u.id
           WHERE ($after::uuid IS NULL OR u.id > $after::uuid) ORDER BY u.id LIMIT $limit`,
          { bind: { after: after?.id ?? null, limit }, type: QueryTypes.SELECT },
        ),
      entries: (rows) =>
        rows.map((row) => {
          const event = userEvent(
            { userId: row.id, username: row.username, email: row.email, firstName: row.first_name, lastName: row.last_name, revision: row.revision, createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString() },
            row.key,
          );
          return { topic: event.type === 'new-user-created' ? topics.newUserCreated : topics.userUpdated, key: row.id, event };
        }),
    });
}
