import type { Client } from 'pg';
import { byKey, diffRows, type Difference } from './differences';

interface UserRow {
  id: string;
  username: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  revision: number;
  created_at: Date;
}

const COLUMNS = 'id, username, email, first_name, last_name, revision, created_at';

/**
 * Users: every user of the producer is in the read models with the same profile at the same
 * revision (the read model keeps the highest it saw), and no other user is, a deleted one least of
 * all. A tombstone of a user the producer still has would hide it for good, so it is one too.
 */
export async function compareUsers(source: Client, readModels: Client): Promise<Difference[]> {
  const expected = byKey((await source.query<UserRow>(`SELECT ${COLUMNS} FROM users`)).rows, (row) => row.id);
  const actual = byKey((await readModels.query<UserRow>(`SELECT ${COLUMNS} FROM users`)).rows, (row) => row.id);
  const tombstones = new Set((await readModels.query<{ user_id: string }>('SELECT user_id FROM deleted_users')).rows.map((row) => row.user_id));
  const differences = diffRows({
    what: 'user',
    expected,
    actual,
    fields: [
      { name: 'username', value: (row) => row.username, personal: true },
      { name: 'email', value: (row) => row.email, personal: true },
      { name: 'first_name', value: (row) => row.first_name, personal: true },
      { name: 'last_name', value: (row) => row.last_name, personal: true },
      { name: 'revision', value: (row) => Number(row.revision) },
      { name: 'created_at', value: (row) => row.created_at },
    ],
    extra: (id) => (tombstones.has(id) ? 'deleted (the read models hold its tombstone), yet still in the users read model' : 'in the read models, not in the producer\'s database'),
  });
  for (const id of expected.keys()) if (tombstones.has(id)) differences.push(`user ${id}: in the producer's database, yet the read models hold a deletion tombstone of it`);
  return differences;
}
