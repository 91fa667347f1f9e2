import { QueryTypes, type Sequelize } from 'sequelize';
import { toPostView, type FeedNotice, type PostRow, type PostView } from './posts-read-model';

export type FeedReadModel = ReturnType<typeof createFeedReadModel>;

/** Feeds, as their viewers read them. */
export function createFeedReadModel({ sequelize }: { sequelize: Sequelize }) {
  return {
    /**
     * One page of a viewer's feed, newest first, after the cursor's (createdAt, postId): the
     * viewer's feed entries (one range read of an index) merged with the posts of the large
     * accounts the viewer follows, which were not fanned out (one index read per such account,
     * each cut to the page size). A large account's older posts that were fanned out before it
     * grew are in both; UNION keeps one. One extra row tells whether more follow.
     */
    async page(viewerId: string, { first, after }: { first: number; after?: { createdAt: string; id: string } }): Promise<{ posts: PostView[]; hasNextPage: boolean }> {
      const rows = await sequelize.query<PostRow>(
        `WITH page AS (
           (SELECT post_id, created_at FROM feed_entries
             WHERE viewer_id = :viewerId
               AND (:afterCreatedAt::timestamptz IS NULL OR (created_at, post_id) < (:afterCreatedAt::timestamptz, :afterId::uuid))
             ORDER BY created_at DESC, post_id DESC LIMIT :limit)
           UNION
           (SELECT p.id, p.created_at
              FROM follows f
              JOIN large_authors l ON l.author_id = f.followee_id
              CROSS JOIN LATERAL (
                SELECT id, created_at FROM posts
                 WHERE author_id = f.followee_id AND NOT fanned_out
                   AND (:afterCreatedAt::timestamptz IS NULL OR (created_at, id) < (:afterCreatedAt::timestamptz, :afterId::uuid))
                 ORDER BY created_at DESC, id DESC LIMIT :limit
              ) p
             WHERE f.follower_id = :viewerId AND f.active)
         )
         SELECT posts.* FROM page JOIN posts ON posts.id = page.post_id
          ORDER BY page.created_at DESC, page.post_id DESC LIMIT :limit`,
        {
          replacements: { viewerId, afterCreatedAt: after?.createdAt ?? null, afterId: after?.id ?? null, limit: first + 1 },
          type: QueryTypes.SELECT,
        },
      );
      return { posts: rows.slice(0, first).map(toPostView), hasNextPage: rows.length > first };
    },

    /** Which of `viewerIds` have this post in their feed now (entries, or a large author followed). */
    async recipients(notice: FeedNotice, viewerIds: string[]): Promise<string[]> {
      if (viewerIds.length === 0) return [];
      const sql = notice.fannedOut
        ? 'SELECT viewer_id AS id FROM feed_entries WHERE post_id = :postId AND viewer_id IN (SELECT value::uuid FROM json_array_elements_text(:viewerIds))'
        : 'SELECT follower_id AS id FROM follows WHERE followee_id = :authorId AND active AND follower_id IN (SELECT value::uuid FROM json_array_elements_text(:viewerIds))';
      const rows = await sequelize.query<{ id: string }>(sql, {
        replacements: { postId: notice.postId, authorId: notice.authorId, viewerIds: JSON.stringify(viewerIds) },
        type: QueryTypes.SELECT,
      });
      return rows.map((row) => row.id);
    },
  };
}
