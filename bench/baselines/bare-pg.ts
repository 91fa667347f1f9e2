import { Pool, type PoolClient } from 'pg';
import { createMigratedScratchDatabase } from '../lib/scratch-database';

/** One write path of Herald as bare pg: the rows it needs, then one event's writes. */
export interface BareWrites<State> {
  /** The service whose schema the writes go to (its migrations build the scratch copy). */
  schema: Parameters<typeof createMigratedScratchDatabase>[1];
  /** Rows the writes need (a user, its refresh tokens, an author's followers), written once and not measured; one state per connection. */
  prepare(pool: Pool, connections: number): Promise<State[]>;
  /** One event's writes, in one transaction on `client`; answers the state for that connection's next one. */
  write(client: PoolClient, state: State): Promise<State>;
}

/** Runs `body` in one transaction on `client`, rolled back when it throws. */
export async function inTransaction(client: PoolClient, body: () => Promise<void>): Promise<void> {
  await client.query('BEGIN');
  try {
    await body();
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/**
 * The ceiling of a write path's database part: its writes as bare pg transactions against a
 * scratch copy of the service's schema on the same server (the same tables, indexes and
 * triggers), `concurrency` in flight, for `seconds` or `amount` events. What is left out is
 * node, express, sequelize and everything else the service does around them.
 */
export async function measureBarePg<State>({ serverUrl, writes, concurrency, seconds, amount }: { serverUrl: string; writes: BareWrites<State>; concurrency: number; seconds: number; amount?: number }) {
  const scratch = await createMigratedScratchDatabase(serverUrl, writes.schema);
  const pool = new Pool({ connectionString: scratch.url, max: concurrency });
  // The scratch database is dropped WITH (FORCE) afterwards: a connection it ends, or one the
  // server drops meanwhile, is no failure of the measurement (without a listener it would be).
  pool.on('error', () => {});
  const latencies: number[] = [];
  try {
    const states = await writes.prepare(pool, concurrency);
    const started = performance.now();
    const deadline = started + seconds * 1000;
    const more = () => (amount ? latencies.length < amount : performance.now() < deadline);
    await Promise.all(
      states.map(async (first) => {
        const client = await pool.connect();
        try {
          let state = first;
          while (more()) {
            const begin = performance.now();
            state = await writes.write(client, state);
            latencies.push(performance.now() - begin);
          }
        } finally {
          client.release();
        }
      }),
    );
    return { latencies, perSecond: latencies.length / ((performance.now() - started) / 1000) };
  } finally {
    await pool.end();
    await scratch.drop();
  }
}
