import { Client } from 'pg';
import { compareFeeds } from './compare-feeds';
import { compareFollows } from './compare-follows';
import { comparePosts } from './compare-posts';
import { compareSessions } from './compare-sessions';
import { compareTokens } from './compare-tokens';
import { compareUsers } from './compare-users';
import type { Difference } from './differences';

export interface ConvergenceOptions {
  /** The producer's database: the source of truth. */
  producerDatabaseUrl: string;
  /** The consumer's database: the read models. */
  consumerDatabaseUrl: string;
  /** The consumer's FEED_BACKFILL_POSTS (its default, 50, unless it runs with another). */
  backfillPosts?: number;
}

/**
 * Every difference between the read models and what the producer's tables say they must be, as
 * lines to print (ids and field names, no personal data); none when the read models have
 * converged. Meaningful once every event written is projected: anything still in flight shows as
 * a difference. Each side is read in one REPEATABLE READ transaction, so each is one snapshot.
 */
export async function findDifferences({ producerDatabaseUrl, consumerDatabaseUrl, backfillPosts = 50 }: ConvergenceOptions): Promise<Difference[]> {
  const source = new Client({ connectionString: producerDatabaseUrl, connectionTimeoutMillis: 5_000 });
  const readModels = new Client({ connectionString: consumerDatabaseUrl, connectionTimeoutMillis: 5_000 });
  try {
    await source.connect();
    await readModels.connect();
    for (const client of [source, readModels]) await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    return [
      ...(await compareUsers(source, readModels)),
      ...(await compareTokens(source, readModels)),
      ...(await comparePosts(source, readModels)),
      ...(await compareFollows(source, readModels)),
      ...(await compareFeeds(readModels, { backfillPosts })),
      ...(await compareSessions(source, readModels)),
    ];
  } finally {
    await source.end().catch(() => {});
    await readModels.end().catch(() => {});
  }
}
