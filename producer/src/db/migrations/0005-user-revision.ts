import type { QueryInterface } from 'sequelize';

/** Each change of a user counts: sign-up is revision 1, and user-updated carries the next. */
export const userRevision = {
  name: '0005-user-revision',
  async up(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query('ALTER TABLE users ADD COLUMN revision integer NOT NULL DEFAULT 1;');
  },
  async down(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query('ALTER TABLE users DROP COLUMN revision;');
  },
};
