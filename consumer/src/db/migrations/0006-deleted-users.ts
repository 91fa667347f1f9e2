import type { QueryInterface } from 'sequelize';

/**
 * Users who deleted their account (user-deleted), kept as tombstones of their id alone: no event
 * of the user projected later (another topic, a retry, a replay) writes anything of them again.
 */
export const deletedUsers = {
  name: '0006-deleted-users',
  async up(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query(`
      CREATE TABLE deleted_users (
        user_id uuid PRIMARY KEY,
        deleted_at timestamptz NOT NULL,
        event_id uuid NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset bigint NOT NULL
      );
    `);
  },
  async down(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query('DROP TABLE deleted_users;');
  },
};
