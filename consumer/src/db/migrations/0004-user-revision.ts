import type { QueryInterface } from 'sequelize';

/** The revision of the profile a row holds: a sign-up and its changes may be projected in any order, and the highest wins. */
export const userRevision = {
  name: '0004-user-revision',
  async up(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query('ALTER TABLE users ADD COLUMN revision integer NOT NULL DEFAULT 1;');
  },
  async down(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query('ALTER TABLE users DROP COLUMN revision;');
  },
};
