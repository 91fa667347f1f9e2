import type { QueryInterface } from 'sequelize';

/** Users, their refresh tokens, and the transactional outbox with its NOTIFY trigger. */
export const initialSchema = {
  name: '0001-initial-schema',
  async up(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        username text NOT NULL,
        email text NOT NULL,
        password_hash text NOT NULL,
        first_name text,
        last_name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      -- Usernames and e-mails are unique whatever their case: "Ada" and "ada" are one person.
      CREATE UNIQUE INDEX users_username_unique ON users (lower(username));
      CREATE UNIQUE INDEX users_email_unique ON users (lower(email));

      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        -- SHA-256 of the token: the token itself is 256 random bits and is never stored.
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

      CREATE TABLE outbox_events (
        id bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        topic text NOT NULL,
        key text NOT NULL,
        -- json, not jsonb: the event is published byte for byte as it was serialised.
        value json NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      );
      -- The relay only ever reads unsent rows, oldest first.
      CREATE INDEX outbox_events_unsent ON outbox_events (id) WHERE sent_at IS NULL;

      -- NOTIFY is delivered when the inserting transaction commits (never for a rollback), so the
      -- relay wakes within milliseconds of a committed event.
      CREATE FUNCTION outbox_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('herald_outbox', '');
        RETURN NULL;
      END $$;
      CREATE TRIGGER outbox_events_notify AFTER INSERT ON outbox_events
        FOR EACH STATEMENT EXECUTE FUNCTION outbox_events_notify();
    `);
  },
  async down(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query(`
      DROP TABLE outbox_events;
      DROP FUNCTION outbox_events_notify();
      DROP TABLE refresh_tokens;
      DROP TABLE users;
    `);
  },
};
