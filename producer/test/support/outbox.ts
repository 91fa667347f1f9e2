import { queryRows } from '@herald/testing';
import { RELAY_LOCK_KEY } from '../../src/outbox/outbox-relay';

/** Rows in the producer's outbox, by state; read straight from the database. */
export async function outboxCounts(databaseUrl: string): Promise<{ pending: number; sent: number }> {
  const [row] = await queryRows<{ pending: string; sent: string }>(
    databaseUrl,
    'SELECT count(*) FILTER (WHERE sent_at IS NULL) AS pending, count(*) FILTER (WHERE sent_at IS NOT NULL) AS sent FROM outbox_events',
  );
  return { pending: Number(row?.pending), sent: Number(row?.sent) };
}

/** The backend pid of the session holding the publishing relay's advisory lock, if any. */
export async function relayLockHolder(databaseUrl: string): Promise<number | undefined> {
  const [row] = await queryRows<{ pid: number }>(
    databaseUrl,
    `SELECT pid FROM pg_locks
      WHERE locktype = 'advisory' AND granted AND classid = 0 AND objid = $1 AND objsubid = 1
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [RELAY_LOCK_KEY],
  );
  return row?.pid;
}

/** Ends a database session from outside, as a crash or a cut connection would. */
export async function terminateBackend(databaseUrl: string, pid: number): Promise<void> {
  await queryRows(databaseUrl, 'SELECT pg_terminate_backend($1)', [pid]);
}
