import { queryRows } from '@herald/testing';

/** Rows in the producer's outbox, by state; read straight from the database. */
export async function outboxCounts(databaseUrl: string): Promise<{ pending: number; sent: number }> {
  const [row] = await queryRows<{ pending: string; sent: string }>(
    databaseUrl,
    'SELECT count(*) FILTER (WHERE sent_at IS NULL) AS pending, count(*) FILTER (WHERE sent_at IS NOT NULL) AS sent FROM outbox_events',
  );
  return { pending: Number(row?.pending), sent: Number(row?.sent) };
}
