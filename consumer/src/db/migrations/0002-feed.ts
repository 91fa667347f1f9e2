import type { QueryInterface } from 'sequelize';

/**
 * The feed's read models: follows (the latest state of each pair), posts, and feed entries (a
 * post fanned out to a follower). Posts of authors above the fan-out threshold have no entries;
 * `large_authors` names those authors, and feeds merge their posts when read.
 */
export const feed = {
  name: '0002-feed',
  async up(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query(`
      CREATE TABLE follows (
        follower_id uuid NOT NULL,
        followee_id uuid NOT NULL,
        active boolean NOT NULL,
        -- The pair's change count in the producer: a follow and an unfollow travel on two topics,
        -- and the higher revision wins whichever is projected first.
        revision integer NOT NULL,
        changed_at timestamptz NOT NULL,
        event_id uuid NOT NULL,
        projected_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (follower_id, followee_id)
      );
      -- Fan-out and follower counts read the followers of one author.
      CREATE INDEX follows_followee_active ON follows (followee_id, follower_id) WHERE active;

      CREATE TABLE posts (
        id uuid PRIMARY KEY,
        author_id uuid NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL,
        -- false: the author had more followers than the threshold when the post was projected, so
        -- it has no feed entries and is merged into its author's followers' feeds when read.
        fanned_out boolean NOT NULL,
        event_id uuid NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset bigint NOT NULL,
        projected_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX posts_author_created_at ON posts (author_id, created_at DESC, id DESC);

      CREATE TABLE feed_entries (
        viewer_id uuid NOT NULL,
        post_id uuid NOT NULL,
        author_id uuid NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (viewer_id, post_id)
      );
      -- A page of a feed is one range read of this index.
      CREATE INDEX feed_entries_page ON feed_entries (viewer_id, created_at DESC, post_id DESC);
      -- An unfollow removes one author's entries from one feed.
      CREATE INDEX feed_entries_author ON feed_entries (viewer_id, author_id);

      CREATE TABLE large_authors (
        author_id uuid PRIMARY KEY,
        since timestamptz NOT NULL DEFAULT now()
      );
    `);
  },
  async down(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query('DROP TABLE large_authors; DROP TABLE feed_entries; DROP TABLE posts; DROP TABLE follows;');
  },
};
