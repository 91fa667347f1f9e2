import type { QueryInterface } from 'sequelize';

/** Posts and follows, the write side of the feed (the feeds themselves are the consumer's). */
export const feed = {
  name: '0003-feed',
  async up(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query(`
      CREATE TABLE posts (
        id uuid PRIMARY KEY,
        author_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        title text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX posts_author_created_at ON posts (author_id, created_at DESC);

      -- One row per pair, kept when unfollowed: revision counts the pair's changes, so the
      -- consumer can tell a late follow from a later unfollow (they travel on two topics).
      CREATE TABLE follows (
        follower_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        followee_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        active boolean NOT NULL,
        revision integer NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (follower_id, followee_id),
        CHECK (follower_id <> followee_id)
      );
    `);
  },
  async down(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query('DROP TABLE follows; DROP TABLE posts;');
  },
};
