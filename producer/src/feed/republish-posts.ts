import { QueryTypes, type Sequelize } from 'sequelize';
import type { OutboxWriter } from '../outbox/outbox-writer';
import { republishInBatches, type RepublishOptions } from '../outbox/republish-in-batches';
import { postCreatedEvent } from './feed-events';
import { toPostView, type PostRow } from './posts';

/**
 * Writes a post-created for every post in the producer's table into the outbox, keyed by its
 * author as the live write is, to rebuild the posts and the feeds they fan out to. A deleted post
 * is gone from the table, so it never comes back; no post-deleted is needed for it, as nothing of
 * it is left to undo.
 */
export function createPostRepublisher({ sequelize, outbox, topics }: { sequelize: Sequelize; outbox: OutboxWriter; topics: { postCreated: string } }) {
  return (options: RepublishOptions = {}): Promise<number> =>
    republishInBatches<PostRow>({
      ...options,
      sequelize,
      outbox,
      page: (after, limit) =>
        sequelize.query<PostRow>('SELECT id, author_id, title, body, created_at FROM posts WHERE ($after::uuid IS NULL OR id > $after::uuid) ORDER BY id LIMIT $limit', {
          bind: { after: after?.id ?? null, limit },
          type: QueryTypes.SELECT,
        }),
      entries: (rows) => rows.map((row) => ({ topic: topics.postCreated, key: row.author_id, event: postCreatedEvent(toPostView(row)) })),
    });
}
