import { activeTraceparent } from '@herald/telemetry';
import type { PostCreated, PostDeleted, Unsealed } from '@herald/events';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { Located } from '@herald/kafka';
import { lockAuthors } from './author-locks';

export interface PostView {
  id: string;
  authorId: string;
  title: string;
  body: string;
  createdAt: string;
}

export interface PostRow {
  id: string;
  author_id: string;
  title: string;
  body: string;
  created_at: Date;
}

export const toPostView = (row: PostRow): PostView => ({
  id: row.id,
  authorId: row.author_id,
  title: row.title,
  body: row.body,
  createdAt: row.created_at.toISOString(),
});

/** Channel of the NOTIFY sent when a post's fan-out commits (feeds `feedItemAdded` on every task). */
export const FEED_CHANNEL = 'herald_feed';

/** What the feed's NOTIFY tells the listening tasks: a post added (fanned out or merged when read), or removed. */
export interface FeedNotice {
  postId: string;
  authorId: string;
  fannedOut: boolean;
  removed?: boolean;
  /** The projection's span, so the push continues the post's trace (null with tracing off). */
  traceparent?: string | null;
}

export interface FanOutSettings {
  /** Authors with more active followers than this are not fanned out; their posts merge when read. */
  maxFollowers: number;
}

export type PostsReadModel = ReturnType<typeof createPostsReadModel>;

/** Posts, written from `post-created` with their fan-out to the author's followers' feeds. */
export function createPostsReadModel({ sequelize, fanOut }: { sequelize: Sequelize; fanOut: FanOutSettings }) {
  const ids = (values: string[]) => JSON.stringify(values);

  return {
    /**
     * Inserts the posts and fans the new ones out, in bulk: one INSERT … SELECT from the follows
     * of their authors as they are now. A follow that is not projected yet backfills the post
     * when it is (follows-read-model.ts), so the feed comes out the same in either order. A
     * redelivered post is not inserted again and fans out nothing. Returns how many were new.
     */
    async insert(records: Located<Unsealed<PostCreated>>[], transaction: Transaction): Promise<number> {
      if (records.length === 0) return 0;
      await lockAuthors(sequelize, records.map(({ event }) => event.payload.authorId), transaction);
      const rows = records.map(({ event, partition, offset }) => ({
        id: event.payload.postId,
        author_id: event.payload.authorId,
        title: event.payload.title,
        body: event.payload.body,
        created_at: event.payload.createdAt,
        event_id: event.eventId,
        kafka_partition: partition,
        kafka_offset: offset,
      }));
      // The follower count is counted only up to the threshold + 1: a large account costs no more.
      const inserted = await sequelize.query<{ id: string; author_id: string; fanned_out: boolean }>(
        `INSERT INTO posts (id, author_id, title, body, created_at, fanned_out, event_id, kafka_partition, kafka_offset)
         SELECT r.id, r.author_id, r.title, r.body, r.created_at,
                (SELECT count(*) FROM (SELECT 1 FROM follows f WHERE f.followee_id = r.author_id AND f.active LIMIT :limit) s) <= :maxFollowers,
                r.event_id, r.kafka_partition, r.kafka_offset
           FROM json_to_recordset(:rows) AS r(id uuid, author_id uuid, title text, body text, created_at timestamptz,
             event_id uuid, kafka_partition integer, kafka_offset bigint)
          -- A post deleted before it was projected is never shown.
          WHERE NOT EXISTS (SELECT 1 FROM deleted_posts d WHERE d.post_id = r.id)
            AND NOT EXISTS (SELECT 1 FROM deleted_users d WHERE d.user_id = r.author_id)
         ON CONFLICT (id) DO NOTHING
         RETURNING id, author_id, fanned_out`,
        { replacements: { rows: JSON.stringify(rows), maxFollowers: fanOut.maxFollowers, limit: fanOut.maxFollowers + 1 }, type: QueryTypes.SELECT, transaction },
      );
      if (inserted.length === 0) return 0;
      const fannedOut = inserted.filter((post) => post.fanned_out).map((post) => post.id);
      const large = inserted.filter((post) => !post.fanned_out).map((post) => post.author_id);
      if (fannedOut.length > 0) {
        await sequelize.query(
          `INSERT INTO feed_entries (viewer_id, post_id, author_id, created_at)
           SELECT f.follower_id, p.id, p.author_id, p.created_at
             FROM posts p JOIN follows f ON f.followee_id = p.author_id AND f.active
            WHERE p.id IN (SELECT value::uuid FROM json_array_elements_text(:ids))
           ON CONFLICT DO NOTHING`,
          { replacements: { ids: ids(fannedOut) }, transaction },
        );
      }
      if (large.length > 0) {
        await sequelize.query('INSERT INTO large_authors (author_id) SELECT DISTINCT value::uuid FROM json_array_elements_text(:ids) ON CONFLICT DO NOTHING', {
          replacements: { ids: ids(large) },
          transaction,
        });
      }
      // Delivered to every listening task when (and only if) this transaction commits.
      await sequelize.query(
        `SELECT pg_notify(:channel, json_build_object('postId', p.id, 'authorId', p.author_id, 'fannedOut', p.fanned_out, 'traceparent', CAST(:traceparent AS text))::text)
           FROM posts p WHERE p.id IN (SELECT value::uuid FROM json_array_elements_text(:ids))`,
        { replacements: { channel: FEED_CHANNEL, ids: ids(inserted.map((post) => post.id)), traceparent: activeTraceparent() ?? null }, type: QueryTypes.SELECT, transaction },
      );
      return inserted.length;
    },

    /**
     * Deletes the posts of these events from the posts and from every feed, and keeps each as a
     * tombstone, so its post-created, if it comes later, writes nothing. Under the authors' locks,
     * as the fan-out and the backfill: neither can put a post back meanwhile. Listening tasks hear
     * of each removal when the transaction commits. Returns how many were new.
     */
    async delete(records: Located<PostDeleted>[], transaction: Transaction): Promise<number> {
      if (records.length === 0) return 0;
      await lockAuthors(sequelize, records.map(({ event }) => event.payload.authorId), transaction);
      const rows = records.map(({ event, partition, offset }) => ({
        post_id: event.payload.postId,
        author_id: event.payload.authorId,
        deleted_at: event.payload.deletedAt,
        event_id: event.eventId,
        kafka_partition: partition,
        kafka_offset: offset,
      }));
      const tombstones = await sequelize.query<{ post_id: string; author_id: string }>(
        `INSERT INTO deleted_posts (post_id, author_id, deleted_at, event_id, kafka_partition, kafka_offset)
         SELECT * FROM json_to_recordset(:rows) AS r(post_id uuid, author_id uuid, deleted_at timestamptz, event_id uuid, kafka_partition integer, kafka_offset bigint)
         ON CONFLICT (post_id) DO NOTHING
         RETURNING post_id, author_id`,
        { replacements: { rows: JSON.stringify(rows) }, type: QueryTypes.SELECT, transaction },
      );
      if (tombstones.length === 0) return 0;
      const deleted = ids(tombstones.map((row) => row.post_id));
      await sequelize.query('DELETE FROM feed_entries WHERE post_id IN (SELECT value::uuid FROM json_array_elements_text(:deleted))', { replacements: { deleted }, transaction });
      await sequelize.query('DELETE FROM posts WHERE id IN (SELECT value::uuid FROM json_array_elements_text(:deleted))', { replacements: { deleted }, transaction });
      for (const { post_id: postId, author_id: authorId } of tombstones) {
        const notice: FeedNotice = { postId, authorId, fannedOut: false, removed: true, traceparent: activeTraceparent() };
        await sequelize.query('SELECT pg_notify(:channel, :notice)', { replacements: { channel: FEED_CHANNEL, notice: JSON.stringify(notice) }, type: QueryTypes.SELECT, transaction });
      }
      return tombstones.length;
    },

    async findById(id: string): Promise<PostView | undefined> {
      const [row] = await sequelize.query<PostRow>('SELECT * FROM posts WHERE id = :id', { replacements: { id }, type: QueryTypes.SELECT });
      return row ? toPostView(row) : undefined;
    },

    /** An author's latest posts, newest first. */
    async ofAuthor(authorId: string, first: number): Promise<PostView[]> {
      const rows = await sequelize.query<PostRow>('SELECT * FROM posts WHERE author_id = :authorId ORDER BY created_at DESC, id DESC LIMIT :first', {
        replacements: { authorId, first },
        type: QueryTypes.SELECT,
      });
      return rows.map(toPostView);
    },
  };
}
