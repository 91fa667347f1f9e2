import { ForbiddenError, NotFoundError } from '@herald/core';
import type { Sequelize } from 'sequelize';
import type { PasswordHasher } from '../auth/password-hasher';
import type { Caller } from '../http/require-bearer';
import type { RequestLimits } from '../limits/request-limits';
import type { OutboxWriter } from '../outbox/outbox-writer';
import { userEvent } from '../personal-data/sealed-events';
import type { UserKeys } from '../personal-data/user-keys';
import type { UpdatedUser, UserRepository } from './user-repository';
import type { ProfileChange } from './user-schemas';

/**
 * Changes the caller's own profile and writes user-updated (the whole profile at its new revision)
 * in the same transaction. A new e-mail needs the current password. A username or e-mail someone
 * else holds is a 409, as at sign-up.
 */
export function createProfileUpdate({
  sequelize,
  users,
  userKeys,
  hasher,
  outbox,
  limits,
  topic,
}: {
  sequelize: Sequelize;
  users: Pick<UserRepository, 'updateProfile' | 'findPasswordHash'>;
  userKeys: Pick<UserKeys, 'of'>;
  hasher: PasswordHasher;
  outbox: OutboxWriter;
  limits: Pick<RequestLimits, 'profile'>;
  topic: string;
}) {
  return async function updateProfile(caller: Caller, change: ProfileChange, { traceparent }: { traceparent?: string } = {}): Promise<UpdatedUser> {
    await limits.profile(caller);
    const { currentPassword, ...changes } = change;
    if (changes.email !== undefined && !(await hasher.verify(await users.findPasswordHash(caller.userId), currentPassword ?? ''))) {
      throw new ForbiddenError('The current password is wrong');
    }
    return sequelize.transaction(async (transaction) => {
      const user = await users.updateProfile(caller.userId, changes, transaction);
      if (!user) throw new NotFoundError('No such user');
      const { id: userId, revision, username, email, firstName, lastName, createdAt, updatedAt } = user;
      const event = userEvent({ userId, revision, username, email, firstName, lastName, createdAt, updatedAt }, await userKeys.of(userId, transaction));
      await outbox.add({ topic, key: userId, event, traceparent }, transaction);
      return user;
    });
  };
}
