import { Client } from 'pg';

/** Rows in the producer's outbox, by state; read straight from the database. */
export async function outboxCounts(databaseUrl: string): Promise<{ pending: number; sent: number }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pending: string; sent: string }>(
      'SELECT count(*) FILTER (WHERE sent_at IS NULL) AS pending, count(*) FILTER (WHERE sent_at IS NOT NULL) AS sent FROM outbox_events',
    );
    return { pending: Number(rows[0]?.pending), sent: Number(rows[0]?.sent) };
  } finally {
    await client.end();
  }
}

export async function countRows(databaseUrl: string, sql: string, params: unknown[] = []): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>(sql, params);
    return Number(rows[0]?.count);
  } finally {
    await client.end();
  }
}
