import { UnauthenticatedError } from '@herald/core';
import type { Sequelize } from 'sequelize';
import type { LoginLockout } from '../limits/login-lockout';
import type { RequestLimits } from '../limits/request-limits';
import type { UserRepository } from '../users/user-repository';
import type { PasswordHasher } from './password-hasher';
import type { Sessions } from './sessions';
import type { TokenIssuer, TokenPair } from './token-issuer';

/**
 * Checks a username and password, starts a session and issues its tokens; one answer for every
 * kind of failure.
 * Every abuse limit is asked before the password hash: the hash is the scarce resource (a few
 * run at once), so a client over its limit, or a locked-out guesser, never waits in its queue.
 */
export function createLogin({
  sequelize,
  users,
  hasher,
  tokens,
  sessions,
  limits,
  lockout,
}: {
  sequelize: Sequelize;
  users: UserRepository;
  hasher: PasswordHasher;
  tokens: TokenIssuer;
  sessions: Pick<Sessions, 'start'>;
  limits: Pick<RequestLimits, 'loginByIp' | 'loginByAccount'>;
  lockout: LoginLockout;
}) {
  return async function login(
    { username, password }: { username: string; password: string },
    { ip, traceparent }: { ip: string; traceparent?: string },
  ): Promise<TokenPair> {
    const attempt = { ip, username };
    await limits.loginByIp(attempt);
    // Before the per-account count: a locked-out guesser must not use up the owner's logins.
    await lockout.assertNotLocked(attempt);
    await limits.loginByAccount(attempt);

    const credentials = await users.findCredentials(username);
    const ok = await hasher.verify(credentials?.passwordHash, password);
    if (!credentials || !ok) {
      await lockout.failed(attempt);
      throw new UnauthenticatedError('Invalid username or password');
    }
    await lockout.succeeded(attempt);
    return sequelize.transaction(async (transaction) => {
      const sessionId = await sessions.start(credentials.id, transaction);
      return tokens.issue({ userId: credentials.id, sessionId, reason: 'login', traceparent }, transaction);
    });
  };
}
