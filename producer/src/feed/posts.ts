import { randomUUID } from 'node:crypto';
import { ForbiddenError, NotFoundError } from '@herald/core';
import { buildEvent } from '@herald/events';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { OutboxWriter } from '../outbox/outbox-writer';
import { postCreatedEvent } from '../personal-data/sealed-events';
import type { UserKeys } from '../personal-data/user-keys';
import type { NewPost } from './feed-schemas';

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

export const toPostView = (row: PostRow): PostView => ({ id: row.id, authorId: row.author_id, title: row.title, body: row.body, createdAt: row.created_at.toISOString() });

export type Posts = ReturnType<typeof createPosts>;

/** Posts: the row and its `post-created` (or `post-deleted`) event in one transaction, keyed by the author. */
export function createPosts({ sequelize, userKeys, outbox, topics }: { sequelize: Sequelize; userKeys: Pick<UserKeys, 'of'>; outbox: OutboxWriter; topics: { postCreated: string; postDeleted: string } }) {
  return {
    async create(authorId: string, input: NewPost, { traceparent }: { traceparent?: string } = {}): Promise<PostView> {
      // Milliseconds, as the event carries them: the row and the event say the same instant.
      const post: PostView = { id: randomUUID(), authorId, title: input.title, body: input.body, createdAt: new Date().toISOString() };
      await sequelize.transaction(async (transaction) => {
        // The author's key first: an account deleted since the token was issued has none (404).
        const key = await userKeys.of(authorId, transaction);
        await sequelize.query('INSERT INTO posts (id, author_id, title, body, created_at) VALUES ($1, $2, $3, $4, $5)', {
          bind: [post.id, post.authorId, post.title, post.body, post.createdAt],
          transaction,
        });
        await outbox.add({ topic: topics.postCreated, key: authorId, event: postCreatedEvent(post, key), traceparent }, transaction);
      });
      return post;
    },

    /**
     * Deletes one of the author's own posts and writes post-deleted: 404 for a post that is not
     * there, 403 for someone else's (the row is locked, so a concurrent delete writes one event).
     */
    async delete(authorId: string, postId: string, { traceparent }: { traceparent?: string } = {}): Promise<void> {
      await sequelize.transaction(async (transaction) => {
        const [row] = await sequelize.query<{ author_id: string }>('SELECT author_id FROM posts WHERE id = $1 FOR UPDATE', { bind: [postId], type: QueryTypes.SELECT, transaction });
        if (!row) throw new NotFoundError('No such post');
        if (row.author_id !== authorId) throw new ForbiddenError('Only its author can delete a post');
        await sequelize.query('DELETE FROM posts WHERE id = $1', { bind: [postId], transaction });
        const event = buildEvent('post-deleted', { postId, authorId, deletedAt: new Date().toISOString() });
        await outbox.add({ topic: topics.postDeleted, key: authorId, event, traceparent }, transaction);
      });
    },

    async findById(id: string): Promise<PostView | undefined> {
      const [row] = await sequelize.query<PostRow>('SELECT * FROM posts WHERE id = $1', { bind: [id], type: QueryTypes.SELECT });
      return row ? toPostView(row) : undefined;
    },
  };
}
