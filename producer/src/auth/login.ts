import { UnauthenticatedError } from '@herald/core';
import type { Sequelize } from 'sequelize';
import type { UserRepository } from '../users/user-repository';
import type { PasswordHasher } from './password-hasher';
import type { TokenIssuer, TokenPair } from './token-issuer';

/** Checks a username and password and issues tokens; one answer for every kind of failure. */
export function createLogin({
  sequelize,
  users,
  hasher,
  issueTokens,
}: {
  sequelize: Sequelize;
  users: UserRepository;
  hasher: PasswordHasher;
  issueTokens: TokenIssuer;
}) {
  return async function login(
    { username, password }: { username: string; password: string },
    { traceparent }: { traceparent?: string } = {},
  ): Promise<TokenPair> {
    const credentials = await users.findCredentials(username);
    const ok = await hasher.verify(credentials?.passwordHash, password);
    if (!credentials || !ok) throw new UnauthenticatedError('Invalid username or password');
    return sequelize.transaction((transaction) => issueTokens({ userId: credentials.id, reason: 'login', traceparent }, transaction));
  };
}
