import { randomBytes } from 'node:crypto';
import { QueryTypes, type QueryInterface } from 'sequelize';

const KEY_BYTES = 32;

/**
 * Each user's data key (crypto-shredding, docs/decisions/0004-crypto-shredding.md): the personal
 * fields of the user's events are sealed under it. It goes with the user row (ON DELETE CASCADE),
 * so deleting an account destroys the key in the same transaction. Users from before get theirs here.
 */
export const userKeys = {
  name: '0006-user-keys',
  async up(queryInterface: QueryInterface): Promise<void> {
    const { sequelize } = queryInterface;
    await sequelize.query(`
      CREATE TABLE user_keys (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        key bytea NOT NULL CHECK (octet_length(key) = ${KEY_BYTES}),
        created_at timestamptz NOT NULL DEFAULT now()
      );
    `);
    const users = await sequelize.query<{ id: string }>('SELECT id FROM users', { type: QueryTypes.SELECT });
    for (const { id } of users) await sequelize.query('INSERT INTO user_keys (user_id, key) VALUES ($1, $2)', { bind: [id, randomBytes(KEY_BYTES)] });
  },
  async down(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query('DROP TABLE user_keys;');
  },
};
