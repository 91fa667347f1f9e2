import type { NewUserCreated, Unsealed, UserUpdated } from '@herald/events';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { Located } from '@herald/kafka';
import { lockAuthors } from './author-locks';

export interface UserView {
  id: string;
  username: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  createdAt: string;
}

interface UserRow {
  id: string;
  username: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  created_at: Date;
}

const toView = (row: UserRow): UserView => ({
  id: row.id,
  username: row.username,
  email: row.email,
  firstName: row.first_name,
  lastName: row.last_name,
  createdAt: row.created_at.toISOString(),
});

/** Cursors are opaque to clients: base64url of `createdAt|id`, the order users (and feeds) are listed in. */
export const encodeCursor = (position: { createdAt: string; id: string }) => Buffer.from(`${position.createdAt}|${position.id}`).toString('base64url');

// What encodeCursor writes, and nothing PostgreSQL could refuse: a timestamp of years 1-9999 in
// the form toISOString gives, and a UUID.
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The position a cursor names, or undefined for anything encodeCursor cannot have written. */
export function decodeCursor(cursor: string): { createdAt: string; id: string } | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  const parts = Buffer.from(cursor, 'base64url').toString().split('|');
  const [createdAt, id] = parts;
  if (parts.length !== 2 || !createdAt || !id || !ISO_TIMESTAMP.test(createdAt) || !UUID.test(id)) return undefined;
  const date = new Date(createdAt);
  if (Number.isNaN(date.getTime()) || date.toISOString() !== createdAt || date.getUTCFullYear() < 1) return undefined;
  return { createdAt, id };
}

/** Sign-up is revision 1 of a user's profile. */
const revisionOf = (event: Unsealed<NewUserCreated> | Unsealed<UserUpdated>) => (event.type === 'user-updated' ? event.payload.revision : 1);

export type UsersReadModel = ReturnType<typeof createUsersReadModel>;

/** The users read model: written from `new-user-created` and `user-updated`, read by GraphQL. */
export function createUsersReadModel({ sequelize }: { sequelize: Sequelize }) {
  return {
    /**
     * Writes the profiles of these events (a sign-up is revision 1, each change the next), each
     * only over an older revision of its user: a change projected before the sign-up, or an older
     * change after a newer one, or a redelivery, leaves the newest profile as it is. Returns how
     * many rows changed.
     */
    async upsert(records: Array<Located<Unsealed<NewUserCreated> | Unsealed<UserUpdated>>>, transaction: Transaction): Promise<number> {
      // Within one statement a row can be written once: the newest revision of each user in the chunk.
      const newest = new Map<string, Located<Unsealed<NewUserCreated> | Unsealed<UserUpdated>>>();
      for (const record of records) {
        const seen = newest.get(record.event.payload.userId);
        if (!seen || revisionOf(record.event) > revisionOf(seen.event)) newest.set(record.event.payload.userId, record);
      }
      if (newest.size === 0) return 0;
      const rows = [...newest.values()].map(({ event, partition, offset }) => ({
        id: event.payload.userId,
        username: event.payload.username,
        email: event.payload.email,
        first_name: event.payload.firstName,
        last_name: event.payload.lastName,
        created_at: event.payload.createdAt,
        revision: revisionOf(event),
        event_id: event.eventId,
        kafka_partition: partition,
        kafka_offset: offset,
      }));
      // A deleted user's tombstone wins; the lock keeps a deletion from committing in between.
      await lockAuthors(sequelize, [...newest.keys()], transaction);
      const written = await sequelize.query<{ id: string }>(
        `INSERT INTO users (id, username, email, first_name, last_name, created_at, revision, event_id, kafka_partition, kafka_offset)
         SELECT * FROM json_to_recordset(:rows) AS r(id uuid, username text, email text, first_name text, last_name text,
           created_at timestamptz, revision integer, event_id uuid, kafka_partition integer, kafka_offset bigint)
          WHERE NOT EXISTS (SELECT 1 FROM deleted_users d WHERE d.user_id = r.id)
         ON CONFLICT (id) DO UPDATE SET username = excluded.username, email = excluded.email, first_name = excluded.first_name,
           last_name = excluded.last_name, revision = excluded.revision, event_id = excluded.event_id,
           kafka_partition = excluded.kafka_partition, kafka_offset = excluded.kafka_offset, projected_at = now()
         WHERE users.revision < excluded.revision
         RETURNING id`,
        { replacements: { rows: JSON.stringify(rows) }, type: QueryTypes.SELECT, transaction },
      );
      return written.length;
    },

    async findById(id: string): Promise<UserView | undefined> {
      const [row] = await sequelize.query<UserRow>('SELECT * FROM users WHERE id = :id', { replacements: { id }, type: QueryTypes.SELECT });
      return row ? toView(row) : undefined;
    },

    /** One page, oldest first, after the given cursor; one extra row tells whether more follow. */
    async page({ first, after }: { first: number; after?: { createdAt: string; id: string } }): Promise<{ users: UserView[]; hasNextPage: boolean }> {
      const rows = await sequelize.query<UserRow>(
        `SELECT * FROM users
          WHERE (:afterCreatedAt::timestamptz IS NULL OR (created_at, id) > (:afterCreatedAt::timestamptz, :afterId::uuid))
          ORDER BY created_at, id LIMIT :limit`,
        {
          replacements: { afterCreatedAt: after?.createdAt ?? null, afterId: after?.id ?? null, limit: first + 1 },
          type: QueryTypes.SELECT,
        },
      );
      return { users: rows.slice(0, first).map(toView), hasNextPage: rows.length > first };
    },

    async count(): Promise<number> {
      const [row] = await sequelize.query<{ count: string }>('SELECT count(*) AS count FROM users', { type: QueryTypes.SELECT });
      return Number(row?.count ?? 0);
    },
  };
}
