import type { QueryInterface } from 'sequelize';

/** The read models: users and the tokens issued to them, built from the producer's events. */
export const readModels = {
  name: '0001-read-models',
  async up(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        username text NOT NULL,
        email text NOT NULL,
        first_name text,
        last_name text,
        created_at timestamptz NOT NULL,
        -- The event that wrote the row, and where it came from, for audits and replays.
        event_id uuid NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset bigint NOT NULL,
        projected_at timestamptz NOT NULL DEFAULT now()
      );
      -- Cursor pagination walks (created_at, id).
      CREATE INDEX users_created_at_id ON users (created_at, id);

      CREATE TABLE issued_tokens (
        jti uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        reason text NOT NULL CHECK (reason IN ('login', 'refresh')),
        issued_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        event_id uuid NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset bigint NOT NULL,
        projected_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX issued_tokens_user_issued_at ON issued_tokens (user_id, issued_at DESC);
    `);
  },
  async down(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query('DROP TABLE issued_tokens; DROP TABLE users;');
  },
};
