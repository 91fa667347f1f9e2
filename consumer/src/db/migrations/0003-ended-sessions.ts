import type { QueryInterface } from 'sequelize';

/**
 * Sessions the producer ended (session-ended): the read API refuses their access tokens, which
 * carry the session's id (`sid`), before they expire.
 */
export const endedSessions = {
  name: '0003-ended-sessions',
  async up(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query(`
      CREATE TABLE ended_sessions (
        session_id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        reason text NOT NULL,
        ended_at timestamptz NOT NULL,
        event_id uuid NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset bigint NOT NULL
      );
      CREATE INDEX ended_sessions_user ON ended_sessions (user_id);
    `);
  },
  async down(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query('DROP TABLE ended_sessions;');
  },
};
