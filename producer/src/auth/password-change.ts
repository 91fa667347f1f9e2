import { ForbiddenError, ValidationError } from '@herald/core';
import type { Sequelize } from 'sequelize';
import type { Caller } from '../http/require-bearer';
import type { RequestLimits } from '../limits/request-limits';
import type { UserRepository } from '../users/user-repository';
import type { PasswordHasher } from './password-hasher';
import type { Sessions } from './sessions';

/**
 * Changes the caller's password, given the current one, and ends every other session of the
 * user (password-changed): whoever knew the old password keeps no way in. The session that asked
 * stays open. The new password is hashed before the transaction opens, as at sign-up.
 */
export function createPasswordChange({
  sequelize,
  users,
  hasher,
  sessions,
  limits,
}: {
  sequelize: Sequelize;
  users: Pick<UserRepository, 'findPasswordHash' | 'setPasswordHash'>;
  hasher: PasswordHasher;
  sessions: Pick<Sessions, 'end'>;
  limits: Pick<RequestLimits, 'session'>;
}) {
  return async function changePassword(
    caller: Caller,
    { currentPassword, newPassword }: { currentPassword: string; newPassword: string },
    { traceparent }: { traceparent?: string } = {},
  ): Promise<{ endedSessions: number }> {
    await limits.session(caller);
    if (newPassword === currentPassword) throw new ValidationError('newPassword: must differ from the current password');
    const current = await users.findPasswordHash(caller.userId);
    if (!(await hasher.verify(current, currentPassword))) throw new ForbiddenError('The current password is wrong');
    const passwordHash = await hasher.hash(newPassword);
    const endedSessions = await sequelize.transaction(async (transaction) => {
      await users.setPasswordHash(caller.userId, passwordHash, transaction);
      return sessions.end({ userId: caller.userId, keep: caller.sessionId, reason: 'password-changed', traceparent }, transaction);
    });
    return { endedSessions };
  };
}
