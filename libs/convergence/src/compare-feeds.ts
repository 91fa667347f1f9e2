import type { Client } from 'pg';
import type { Difference } from './differences';

/**
 * The materialised feeds (feed_entries), checked inside the read models against their follows and
 * posts, which compareFollows and comparePosts hold to the producer's. The read side
 * (consumer/src/read-models/feed-read-model.ts) merges the posts that were not fanned out
 * (`fanned_out` false: a large author's) when a feed is read, so they have no entries; the rest
 * are fanned out on write to the author's active followers, and a new follow backfills the
 * author's latest `backfillPosts` fanned-out posts. So, for each entry and each active pair:
 * - an entry is of a post that exists and was fanned out, with the post's author and time, in the
 *   feed of a user who follows that author now (an unfollow or a deletion removes it);
 * - every active pair has, of the followee's fanned-out posts, at least the latest
 *   `backfillPosts − d` in the follower's feed, d being the followee's deleted posts: each of them
 *   was fanned out to the follower or backfilled, and only a deletion of a newer backfilled post
 *   can bring an older one, never backfilled, into the latest (older posts may be there or not,
 *   as the order of projection had it, and are not checked).
 */
export async function compareFeeds(readModels: Client, { backfillPosts }: { backfillPosts: number }): Promise<Difference[]> {
  const differences: Difference[] = [];
  const wrong = await readModels.query<{ viewer_id: string; post_id: string; why: string }>(
    `SELECT e.viewer_id, e.post_id,
            CASE WHEN p.id IS NULL THEN 'its post is not in the posts read model'
                 WHEN NOT p.fanned_out THEN 'its post was not fanned out (it is merged when the feed is read)'
                 WHEN p.author_id <> e.author_id OR p.created_at <> e.created_at THEN 'its author_id or created_at differ from the post''s'
                 ELSE 'its viewer does not follow the post''s author' END AS why
       FROM feed_entries e LEFT JOIN posts p ON p.id = e.post_id
      WHERE p.id IS NULL OR NOT p.fanned_out OR p.author_id <> e.author_id OR p.created_at <> e.created_at
         OR NOT EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = e.viewer_id AND f.followee_id = e.author_id AND f.active)`,
  );
  for (const row of wrong.rows) differences.push(`feed entry ${row.post_id} in the feed of ${row.viewer_id}: one too many, ${row.why}`);
  const missing = await readModels.query<{ follower_id: string; followee_id: string; post_id: string }>(
    `SELECT f.follower_id, f.followee_id, p.id AS post_id
       FROM follows f
       CROSS JOIN LATERAL (SELECT count(*) AS n FROM deleted_posts d WHERE d.author_id = f.followee_id) deleted
       CROSS JOIN LATERAL (
         SELECT id FROM posts WHERE author_id = f.followee_id AND fanned_out
          ORDER BY created_at DESC, id DESC LIMIT greatest(0, $1::bigint - deleted.n)
       ) p
      WHERE f.active AND NOT EXISTS (SELECT 1 FROM feed_entries e WHERE e.viewer_id = f.follower_id AND e.post_id = p.id)`,
    [backfillPosts],
  );
  for (const row of missing.rows) differences.push(`feed entry ${row.post_id} in the feed of ${row.follower_id}: missing (a recent post of ${row.followee_id}, whom they follow)`);
  return differences;
}
