import type { QueryInterface } from 'sequelize';

/**
 * What a rebuild of the read models needs beyond users, posts and follows (republish-tokens.ts,
 * republish-ended-sessions.ts): each refresh_tokens row is one issuance, so it also records the
 * access token issued with it (its id, why, when it was issued and expires; never the token), and
 * a session records why it ended. Both go with their user when an account is deleted. Rows from
 * before this migration have neither; their access tokens expired within minutes of it.
 */
export const rebuildSources = {
  name: '0007-rebuild-sources',
  async up(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query(`
      ALTER TABLE refresh_tokens
        ADD COLUMN access_jti uuid,
        ADD COLUMN access_reason text CHECK (access_reason IN ('login', 'refresh')),
        ADD COLUMN access_issued_at timestamptz,
        ADD COLUMN access_expires_at timestamptz;
      -- A rebuild reads only the access tokens still alive: a short range at the end of this index.
      CREATE INDEX refresh_tokens_access_expires_at ON refresh_tokens (access_expires_at) WHERE access_expires_at IS NOT NULL;
      ALTER TABLE sessions ADD COLUMN end_reason text;
      -- A rebuild reads only the sessions ended within an access token's lifetime.
      CREATE INDEX sessions_ended_at ON sessions (ended_at) WHERE ended_at IS NOT NULL;
    `);
  },
  async down(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query(`
      DROP INDEX sessions_ended_at;
      ALTER TABLE sessions DROP COLUMN end_reason;
      DROP INDEX refresh_tokens_access_expires_at;
      ALTER TABLE refresh_tokens DROP COLUMN access_jti, DROP COLUMN access_reason, DROP COLUMN access_issued_at, DROP COLUMN access_expires_at;
    `);
  },
};
