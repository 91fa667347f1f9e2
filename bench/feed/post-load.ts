import { runLoad, type LoadResult } from '../http/load';
import type { FeedUser } from './feed-api';

/**
 * Closed-loop POST /posts at `connections` for `seconds`, each request as the next user of the
 * pool (a bench load is many writers). The producer's per-user post limit (POST_LIMIT_PER_USER)
 * answers 429 once a user has posted its share: run the bench against a producer started with
 * a raised limit to measure posting rather than the limiter (docs/performance.md).
 */
export function postLoad(url: string, users: FeedUser[], { connections, seconds, amount }: { connections: number; seconds: number; amount?: number }): Promise<LoadResult> {
  let next = 0;
  return runLoad({
    url,
    connections,
    seconds,
    amount,
    request: {
      method: 'POST',
      path: '/posts',
      body: () => JSON.stringify({ title: 'Load test', body: 'A post written by the post-load bench.' }),
      vary: () => ({ path: '/posts', headers: { authorization: `Bearer ${users[next++ % users.length]!.accessToken}` } }),
    },
  });
}
