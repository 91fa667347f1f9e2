import { randomBytes } from 'node:crypto';
import { NotFoundError } from '@herald/core';
import { USER_KEY_BYTES } from '@herald/events';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

export type UserKeys = ReturnType<typeof createUserKeys>;

/**
 * Users' data keys (table user_keys, migration 0006): made with the user, destroyed with the user
 * (the row cascades). A key is never logged and leaves this service only to the consumer, on the
 * user-keys endpoint (user-keys-routes.ts).
 */
export function createUserKeys({ sequelize }: { sequelize: Sequelize }) {
  return {
    async create(userId: string, transaction: Transaction): Promise<Uint8Array> {
      const key = randomBytes(USER_KEY_BYTES);
      await sequelize.query('INSERT INTO user_keys (user_id, key) VALUES ($1, $2)', { bind: [userId, key], transaction });
      return key;
    },

    /** The key of a user who exists; a deleted user has none (404, as for the user). */
    async of(userId: string, transaction?: Transaction): Promise<Uint8Array> {
      const [row] = await sequelize.query<{ key: Buffer }>('SELECT key FROM user_keys WHERE user_id = $1', { bind: [userId], type: QueryTypes.SELECT, transaction });
      if (!row) throw new NotFoundError('No such user');
      return row.key;
    },

    /** The keys of those of `userIds` who exist; a deleted user's is gone for good. */
    async find(userIds: string[], transaction?: Transaction): Promise<Map<string, Uint8Array>> {
      const rows = await sequelize.query<{ user_id: string; key: Buffer }>('SELECT user_id, key FROM user_keys WHERE user_id = ANY($1::uuid[])', {
        bind: [userIds],
        type: QueryTypes.SELECT,
        transaction,
      });
      return new Map(rows.map((row) => [row.user_id, row.key]));
    },
  };
}
