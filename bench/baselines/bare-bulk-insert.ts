import { randomBytes, randomUUID } from 'node:crypto';
import { createLogger } from '@herald/core';
import { createSequelize, runMigrations } from '@herald/db';
import { Client } from 'pg';
import { MIGRATIONS, MIGRATION_LOCK_KEY } from '../../consumer/src/db/migrations';

/**
 * The floor under the fan-out: the same rows written by bare bulk statements, one per post
 * (`INSERT INTO feed_entries SELECT … FROM follows WHERE followee_id = $1`), in a scratch
 * database beside the consumer's with the consumer's own schema (tables and indexes), so only
 * Kafka, the consumer's batching and its bookkeeping are left out.
 */
export async function measureBareBulkInsert({ consumerDatabaseUrl, followers, posts }: { consumerDatabaseUrl: string; followers: number; posts: number }) {
  const name = `herald_bench_${randomBytes(4).toString('hex')}`;
  const server = new Client({ connectionString: consumerDatabaseUrl });
  await server.connect();
  await server.query(`CREATE DATABASE "${name}"`);
  const url = new URL(consumerDatabaseUrl);
  url.pathname = `/${name}`;
  const logger = createLogger({ name: 'bench', level: 'warn' });
  const database = { url: url.toString(), ssl: false, poolMax: 1 };
  const sequelize = createSequelize({ config: database, logger });
  const client = new Client({ connectionString: url.toString() });
  try {
    await runMigrations({ sequelize, database, migrations: MIGRATIONS, lockKey: MIGRATION_LOCK_KEY, logger });
    await client.connect();
    const author = randomUUID();
    await client.query(
      `INSERT INTO follows (follower_id, followee_id, active, revision, changed_at, event_id)
       SELECT gen_random_uuid(), $1, true, 1, now(), gen_random_uuid() FROM generate_series(1, $2)`,
      [author, followers],
    );
    await client.query('ANALYZE follows');
    const started = performance.now();
    for (let i = 0; i < posts; i += 1) {
      await client.query(
        `INSERT INTO feed_entries (viewer_id, post_id, author_id, created_at)
         SELECT follower_id, $2, followee_id, now() FROM follows WHERE followee_id = $1 AND active ON CONFLICT DO NOTHING`,
        [author, randomUUID()],
      );
    }
    const seconds = (performance.now() - started) / 1000;
    return { rows: followers * posts, seconds, rowsPerSecond: (followers * posts) / seconds };
  } finally {
    await client.end().catch(() => {});
    await sequelize.close();
    await server.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await server.end();
  }
}
