import { Client } from 'pg';
import { keptBenchTopic } from '../lib/scratch-kafka';
import type { SampleRecord } from './sample-events';

/**
 * The outbox relay's sustained rate: `records` are committed to the producer's outbox in one
 * transaction (one NOTIFY wakes the relay), addressed to a bench topic nobody consumes, so the
 * consumer's work does not share the cores; the clock runs from the commit until no row is left
 * unsent. The rows are removed afterwards, and the table vacuumed; the topic stays (see
 * keptBenchTopic).
 */
export async function measureOutboxDrain({ brokers, topicPrefix, databaseUrl, records, timeoutMs = 120_000, onProgress }: { brokers: string[]; topicPrefix: string; databaseUrl: string; records: SampleRecord[]; timeoutMs?: number; onProgress?: (done: number) => void }) {
  const topic = await keptBenchTopic(brokers, `${topicPrefix}herald-bench-outbox-drain`);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // A drain of a few batches first, not measured: the relay's send path gets compiled and its
    // producer learns the topic's leaders, as the bare producers did in their earlier runs.
    const warmUp = records.slice(0, Math.min(records.length, 2000));
    await drain(client, topic, warmUp, timeoutMs);
    await client.query('DELETE FROM outbox_events WHERE topic = $1', [topic]);
    const { seconds, unsent } = await drain(client, topic, records, timeoutMs, onProgress);
    const { rows: batches } = await client.query<{ batches: string }>('SELECT count(DISTINCT sent_at) AS batches FROM outbox_events WHERE topic = $1', [topic]);
    return { perSecond: (records.length - unsent) / seconds, sent: records.length - unsent, unsent, seconds, batches: Number(batches[0]?.batches ?? 0) };
  } finally {
    await client.query('DELETE FROM outbox_events WHERE topic = $1', [topic]).catch(() => {});
    // 2 × rows dead tuples (marked, then deleted): vacuumed now, or autovacuum does it during the
    // next run's drain and that run measures the vacuum as much as the relay.
    await client.query('VACUUM (ANALYZE) outbox_events').catch(() => {});
    await client.end();
  }
}

/** Commits `records` to the outbox in one transaction, then waits until the relay sent them all. */
async function drain(client: Client, topic: string, records: SampleRecord[], timeoutMs: number, onProgress?: (done: number) => void) {
  const rows = records.map((record) => ({ event_id: record.event.eventId, topic, key: record.key, value: record.event, headers: record.headers }));
  await client.query('BEGIN');
  await client.query(
    `INSERT INTO outbox_events (event_id, topic, key, value, headers, created_at)
     SELECT event_id, topic, key, value, headers, now() FROM json_to_recordset($1::json) AS r(event_id uuid, topic text, key text, value json, headers jsonb)`,
    [JSON.stringify(rows)],
  );
  await client.query('COMMIT');
  const started = performance.now();
  let unsent = records.length;
  while (unsent > 0 && performance.now() - started < timeoutMs) {
    await new Promise((resolveTick) => setTimeout(resolveTick, 25));
    const { rows: counted } = await client.query<{ unsent: string }>('SELECT count(*) AS unsent FROM outbox_events WHERE topic = $1 AND sent_at IS NULL', [topic]);
    unsent = Number(counted[0]?.unsent ?? 0);
    onProgress?.(records.length - unsent);
  }
  return { seconds: (performance.now() - started) / 1000, unsent };
}
