import { randomUUID } from 'node:crypto';
import * as consumer from '@herald/consumer/tools';
import { Client } from 'pg';
import { createMigratedScratchDatabase } from '../lib/scratch-database';

/**
 * The floor under the fan-out: the same rows written by bare bulk statements, one per post
 * (`INSERT INTO feed_entries SELECT … FROM follows WHERE followee_id = $1`), in a scratch
 * database beside the consumer's with the consumer's own schema (tables and indexes), so only
 * Kafka, the consumer's batching and its bookkeeping are left out.
 */
export async function measureBareBulkInsert({ consumerDatabaseUrl, followers, posts }: { consumerDatabaseUrl: string; followers: number; posts: number }) {
  const scratch = await createMigratedScratchDatabase(consumerDatabaseUrl, consumer);
  const client = new Client({ connectionString: scratch.url });
  try {
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
    await scratch.drop();
  }
}
