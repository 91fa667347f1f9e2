import type { QueryInterface } from 'sequelize';

/**
 * Sessions: a login starts one; its refresh tokens and its access tokens (`sid`) carry its id, and
 * ending it (logout, logout everywhere, a new password, a used refresh token presented again)
 * ends them all. Refresh tokens from before sessions belong to none: they are revoked, and their
 * users log in again.
 */
export const sessions = {
  name: '0004-sessions',
  async up(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        started_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz
      );
      CREATE INDEX sessions_user_open ON sessions (user_id) WHERE ended_at IS NULL;
      ALTER TABLE refresh_tokens ADD COLUMN session_id uuid REFERENCES sessions (id) ON DELETE CASCADE;
      UPDATE refresh_tokens SET revoked_at = now() WHERE revoked_at IS NULL;
    `);
  },
  async down(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query('ALTER TABLE refresh_tokens DROP COLUMN session_id; DROP TABLE sessions;');
  },
};
