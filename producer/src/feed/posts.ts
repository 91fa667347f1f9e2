import { randomUUID } from 'node:crypto';
import { buildEvent } from '@herald/events';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { OutboxWriter } from '../outbox/outbox-writer';
import type { NewPost } from './feed-schemas';

export interface PostView {
  id: string;
  authorId: string;
  title: string;
  body: string;
  createdAt: string;
}

interface PostRow {
  id: string;
  author_id: string;
  title: string;
  body: string;
  created_at: Date;
}

const toView = (row: PostRow): PostView => ({ id: row.id, authorId: row.author_id, title: row.title, body: row.body, createdAt: row.created_at.toISOString() });

export type Posts = ReturnType<typeof createPosts>;

/** Posts: the row and its `post-created` event in one transaction, keyed by the author. */
export function createPosts({ sequelize, outbox, topic }: { sequelize: Sequelize; outbox: OutboxWriter; topic: string }) {
  return {
    async create(authorId: string, input: NewPost, { traceparent }: { traceparent?: string } = {}): Promise<PostView> {
      // Milliseconds, as the event carries them: the row and the event say the same instant.
      const post: PostView = { id: randomUUID(), authorId, title: input.title, body: input.body, createdAt: new Date().toISOString() };
      await sequelize.transaction(async (transaction) => {
        await sequelize.query('INSERT INTO posts (id, author_id, title, body, created_at) VALUES ($1, $2, $3, $4, $5)', {
          bind: [post.id, post.authorId, post.title, post.body, post.createdAt],
          transaction,
        });
        const event = buildEvent('post-created', { postId: post.id, authorId, title: post.title, body: post.body, createdAt: post.createdAt });
        await outbox.add({ topic, key: authorId, event, traceparent }, transaction);
      });
      return post;
    },

    async findById(id: string): Promise<PostView | undefined> {
      const [row] = await sequelize.query<PostRow>('SELECT * FROM posts WHERE id = $1', { bind: [id], type: QueryTypes.SELECT });
      return row ? toView(row) : undefined;
    },
  };
}
