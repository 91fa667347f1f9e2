import { randomUUID } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import type { PasswordHasher } from '../auth/password-hasher';
import type { OutboxWriter } from '../outbox/outbox-writer';
import { newUserCreatedEvent } from './user-events';
import type { PublicUser, UserRepository } from './user-repository';
import type { SignUpInput } from './user-schemas';

/**
 * Creates a user and its `new-user-created` event in one transaction: both exist, or neither.
 * The password is hashed before the transaction opens, so no connection is held during the KDF.
 */
export function createSignUp({
  sequelize,
  users,
  outbox,
  hasher,
  topic,
}: {
  sequelize: Sequelize;
  users: UserRepository;
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
      await outbox.add({ topic, key: user.id, event: newUserCreatedEvent(user), traceparent }, transaction);
      return user;
    });
  };
}
