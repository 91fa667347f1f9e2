import { randomUUID } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import type { PasswordHasher } from '../auth/password-hasher';
import type { OutboxWriter } from '../outbox/outbox-writer';
import { userEvent } from '../personal-data/sealed-events';
import type { UserKeys } from '../personal-data/user-keys';
import type { PublicUser, UserRepository } from './user-repository';
import type { SignUpInput } from './user-schemas';

/**
 * Creates a user, its data key and its `new-user-created` event (the profile sealed under that key)
 * in one transaction: all exist, or none.
 * The password is hashed before the transaction opens, so no connection is held during the KDF.
 */
export function createSignUp({
  sequelize,
  users,
  userKeys,
  outbox,
  hasher,
  topic,
}: {
  sequelize: Sequelize;
  users: UserRepository;
  userKeys: Pick<UserKeys, 'create'>;
  outbox: OutboxWriter;
  hasher: PasswordHasher;
  topic: string;
}) {
  return async function signUp(input: SignUpInput, { traceparent }: { traceparent?: string } = {}): Promise<PublicUser> {
    await users.assertAvailable(input);
    const passwordHash = await hasher.hash(input.password);
    return sequelize.transaction(async (transaction) => {
      const user = await users.create(
        {
          id: randomUUID(),
          username: input.username,
          email: input.email,
          passwordHash,
          firstName: input.firstName ?? null,
          lastName: input.lastName ?? null,
        },
        transaction,
      );
      const key = await userKeys.create(user.id, transaction);
      const { id: userId, username, email, firstName, lastName, createdAt } = user;
      const event = userEvent({ userId, username, email, firstName, lastName, revision: 1, createdAt, updatedAt: createdAt }, key);
      await outbox.add({ topic, key: user.id, event, traceparent }, transaction);
      return user;
    });
  };
}
