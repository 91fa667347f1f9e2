import type { QueryInterface } from 'sequelize';

/**
 * Posts their authors deleted (post-deleted), kept as tombstones: a post-created projected after
 * its deletion (another topic, a retry, a replay) finds one and writes nothing.
 */
export const deletedPosts = {
  name: '0005-deleted-posts',
  async up(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query(`
      CREATE TABLE deleted_posts (
        post_id uuid PRIMARY KEY,
        author_id uuid NOT NULL,
        deleted_at timestamptz NOT NULL,
        event_id uuid NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset bigint NOT NULL
      );
    `);
  },
  async down(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query('DROP TABLE deleted_posts;');
  },
};
