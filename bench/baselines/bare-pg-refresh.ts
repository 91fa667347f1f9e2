import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { buildEvent, HEADERS } from '@herald/events';
import { Pool, type PoolClient } from 'pg';
import * as producer from '@herald/producer/tools';
import { createMigratedScratchDatabase } from '../lib/scratch-database';

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

/** The writes of one refresh, in one transaction, in plain SQL: what the service does minus node, express, sequelize and JWT. */
async function refreshWrites(client: PoolClient, userId: string, token: string): Promise<string> {
  const next = newToken();
  const now = new Date();
  const event = buildEvent('issued-token', { jti: randomUUID(), userId, reason: 'refresh', issuedAt: now.toISOString(), expiresAt: new Date(now.getTime() + 900_000).toISOString() });
  await client.query('BEGIN');
  try {
    const used = await client.query(
      `UPDATE refresh_tokens SET used_at = now()
        WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now() RETURNING user_id`,
      [sha256(token)],
    );
    if (used.rowCount !== 1) throw new Error('bare refresh: the token was not usable');
    await client.query('INSERT INTO refresh_tokens (id, user_id, token_hash, expires_at, created_at) VALUES ($1, $2, $3, $4, now())', [randomUUID(), userId, sha256(next), new Date(now.getTime() + 86_400_000)]);
    // The outbox trigger sends the NOTIFY on commit, as in the service.
    await client.query('INSERT INTO outbox_events (event_id, topic, key, value, headers, created_at) VALUES ($1, $2, $3, $4, $5, now())', [
      event.eventId,
      'issued-token',
      userId,
      JSON.stringify(event),
      JSON.stringify({ [HEADERS.eventType]: event.type, [HEADERS.eventId]: event.eventId, [HEADERS.contentType]: 'application/json' }),
    ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  return next;
}

/**
 * The ceiling of POST /auth/refresh: the same writes (UPDATE the used token, INSERT the new one,
 * INSERT the outbox row, NOTIFY via the trigger) as bare pg transactions against a scratch copy
 * of the producer's schema on the same server, `concurrency` in flight, for `seconds` or `amount`.
 */
export async function measureBarePgRefresh({ databaseUrl, concurrency, seconds, amount }: { databaseUrl: string; concurrency: number; seconds: number; amount?: number }) {
  const scratch = await createMigratedScratchDatabase(databaseUrl, producer);
  const pool = new Pool({ connectionString: scratch.url, max: concurrency });
  // The scratch database is dropped WITH (FORCE) afterwards: a connection it ends, or one the
  // server drops meanwhile, is no failure of the measurement (without a listener it would be).
  pool.on('error', () => {});
  const latencies: number[] = [];
  try {
    const userId = randomUUID();
    await pool.query('INSERT INTO users (id, username, email, password_hash) VALUES ($1, $2, $3, $4)', [userId, 'bench', 'bench@example.com', 'not a hash']);
    const tokens = Array.from({ length: concurrency }, newToken);
    for (const token of tokens) {
      await pool.query('INSERT INTO refresh_tokens (id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, now() + interval \'1 day\')', [randomUUID(), userId, sha256(token)]);
    }
    const started = performance.now();
    const deadline = started + seconds * 1000;
    const more = () => (amount ? latencies.length < amount : performance.now() < deadline);
    await Promise.all(
      tokens.map(async (first) => {
        const client = await pool.connect();
        try {
          let token = first;
          while (more()) {
            const begin = performance.now();
            token = await refreshWrites(client, userId, token);
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
