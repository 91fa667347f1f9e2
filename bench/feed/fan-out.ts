import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import type { BenchTarget } from '../lib/bench-env';
import { createProgress } from '../lib/progress';
import type { FeedApi, FeedUser } from './feed-api';
import { seedFollowers } from './seed-followers';

/**
 * One author with `followers` followers posts `posts` times; the feed rows the consumer writes per
 * second, from the first post's answer until every row is in. The followers are written straight
 * to `user-followed` as the producer would (they need no accounts: only the consumer's side is
 * measured); the author and the posts go through the producer.
 */
export async function measureFanOut(target: BenchTarget, api: FeedApi, author: FeedUser, { followers, posts, timeoutMs }: { followers: number; posts: number; timeoutMs: number }) {
  await seedFollowers(target, [author.id], followers, timeoutMs);

  const db = new Client({ connectionString: target.consumerDatabaseUrl });
  await db.connect();
  const progress = createProgress(`fan-out of ${posts} posts`, followers * posts);
  try {
    const rows = async () => Number((await db.query<{ count: string }>('SELECT count(*) FROM feed_entries WHERE author_id = $1', [author.id])).rows[0]!.count);
    const answers = await Promise.all(Array.from({ length: posts }, (_, i) => api.post(author, `Fan-out ${i}`)));
    const failed = answers.filter((answer) => answer.status !== 201).length;
    const firstAnswer = Math.min(...answers.map((answer) => answer.at));
    const expected = followers * (posts - failed);
    const rowsDeadline = Date.now() + timeoutMs;
    let written = 0;
    while ((written = await rows()) < expected && Date.now() < rowsDeadline) {
      progress.update(written);
      await sleep(20);
    }
    const seconds = (performance.now() - firstAnswer) / 1000;
    return { rows: written, expected, failed, seconds, rowsPerSecond: written / seconds };
  } finally {
    progress.stop();
    await db.end();
  }
}
