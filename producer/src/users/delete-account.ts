import { ForbiddenError } from '@herald/core';
import { buildEvent } from '@herald/events';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { PasswordHasher } from '../auth/password-hasher';
import type { Sessions } from '../auth/sessions';
import type { Caller } from '../http/require-bearer';
import type { RequestLimits } from '../limits/request-limits';
import type { OutboxWriter } from '../outbox/outbox-writer';
import type { UserRepository } from './user-repository';

/**
 * Deletes the caller's account, given the current password, in one transaction: every session
 * ends (session-ended), the outbox rows keyed by the user go (they hold the user's data, sent or
 * not), the user's rate-limit rows go (their keys hold the username), and the user row goes with
 * what cascades from it: credentials, sessions, posts, follows in both directions. A user-deleted
 * event, which holds only the id, tells the consumer. The username can be taken again.
 */
export function createAccountDeletion({
  sequelize,
  users,
  hasher,
  sessions,
  outbox,
  limits,
  topic,
}: {
  sequelize: Sequelize;
  users: Pick<UserRepository, 'findPasswordHash'>;
  hasher: PasswordHasher;
  sessions: Pick<Sessions, 'end'>;
  outbox: OutboxWriter;
  limits: Pick<RequestLimits, 'session'>;
  topic: string;
}) {
  return async function deleteAccount(caller: Caller, { currentPassword }: { currentPassword: string }, { traceparent }: { traceparent?: string } = {}): Promise<void> {
    await limits.session(caller);
    if (!(await hasher.verify(await users.findPasswordHash(caller.userId), currentPassword))) throw new ForbiddenError('The current password is wrong');
    const { userId } = caller;
    await sequelize.transaction(async (transaction) => {
      const [user] = await sequelize.query<{ username: string }>('SELECT username FROM users WHERE id = $1 FOR UPDATE', { bind: [userId], type: QueryTypes.SELECT, transaction });
      if (!user) return;
      // The outbox rows of the user's own events go first, then the events of the deletion are written.
      await sequelize.query('DELETE FROM outbox_events WHERE key = $1', { bind: [userId], transaction });
      await sessions.end({ userId, reason: 'account-deleted', traceparent }, transaction);
      const subject = user.username.toLowerCase();
      // Keys are "<limit>:<subject>", the subject a username or "<ip>|<username>" (limits/).
      await sequelize.query(`DELETE FROM rate_limits WHERE right(key, length($1) + 1) IN (':' || $1, '|' || $1)`, { bind: [subject], transaction });
      await sequelize.query('DELETE FROM users WHERE id = $1', { bind: [userId], transaction });
      await outbox.add({ topic, key: userId, event: buildEvent('user-deleted', { userId, deletedAt: new Date().toISOString() }), traceparent }, transaction);
    });
  };
}
