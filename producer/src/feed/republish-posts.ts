import { QueryTypes, type Sequelize } from 'sequelize';
import type { OutboxWriter } from '../outbox/outbox-writer';
import { republishInBatches, type RepublishOptions } from '../outbox/republish-in-batches';
import { postCreatedEvent } from '../personal-data/sealed-events';
import { toPostView, type PostRow } from './posts';

/**
 * Writes a post-created for every post in the producer's table into the outbox, keyed by its
 * author as the live write is, to rebuild the posts and the feeds they fan out to. A deleted post
 * is gone from the table, so it never comes back; no post-deleted is needed for it, as nothing of
 * it is left to undo. Title and body are sealed under the author's key, read with the row.
 */
export function createPostRepublisher({ sequelize, outbox, topics }: { sequelize: Sequelize; outbox: OutboxWriter; topics: { postCreated: string } }) {
  return (options: RepublishOptions = {}): Promise<number> =>
    republishInBatches<PostRow & { key: Buffer }>({
      ...options,
      sequelize,
      outbox,
      page: (after, limit) =>
        sequelize.query<PostRow & { key: Buffer }>(
          `SELECT p.id, p.author_id, p.title, p.body, p.created_at, k.key FROM posts p JOIN user_keys k ON k.user_id = p.author_id
           WHERE ($after::uuid IS NULL OR p.id > $after::uuid) ORDER BY p.id LIMIT $limit`,
          { bind: { after: after?.id ?? null, limit }, type: QueryTypes.SELECT },
        ),
      entries: (rows) => rows.map((row) => ({ topic: topics.postCreated, key: row.author_id, event: postCreatedEvent(toPostView(row), row.key) })),
    });
}
