import { RateLimitedError, UnauthenticatedError } from '@herald/core';
import type { Sequelize } from 'sequelize';
import type { LoginLockout } from '../limits/login-lockout';
import type { UserRepository } from '../users/user-repository';
import { createLogin } from './login';
import type { PasswordHasher } from './password-hasher';
import type { TokenIssuer } from './token-issuer';

/** A login whose collaborators record what was asked of them, in order. */
function loginWith({ ipLimited = false, locked = false, accountLimited = false, passwordOk = false } = {}) {
  const calls: string[] = [];
  /** A collaborator that records its name and, when told to, answers 429. */
  const step = (name: string, limited = false) => async () => {
    calls.push(name);
    if (limited) throw new RateLimitedError('Too many requests; try again in 5 s', 5);
  };
  const login = createLogin({
    sequelize: { transaction: (work: (t: unknown) => unknown) => work({}) } as unknown as Sequelize,
    users: { findCredentials: async () => (calls.push('find'), { id: 'user-1', passwordHash: 'hash' }) } as unknown as UserRepository,
    hasher: { verify: async () => (calls.push('hash'), passwordOk), hash: async () => 'hash' } as PasswordHasher,
    tokens: { issue: async () => (calls.push('issue'), { accessToken: 'a', refreshToken: 'r', tokenType: 'Bearer', expiresIn: 900 }) } as unknown as TokenIssuer,
    sessions: { start: async () => 'session-1' },
    limits: { loginByIp: step('ip', ipLimited), loginByAccount: step('account', accountLimited) },
    lockout: { assertNotLocked: step('locked?', locked), failed: step('failed'), succeeded: step('succeeded') } as LoginLockout,
  });
  return { calls, run: () => login({ username: 'ada', password: 'guess' }, { ip: '203.0.113.9' }) };
}

describe('login', () => {
  it('when the IP is over its limit, answers 429 before the lock-out check, the user lookup and the hash', async () => {
    const { calls, run } = loginWith({ ipLimited: true });
    await expect(run()).rejects.toBeInstanceOf(RateLimitedError);
    expect(calls).toEqual(['ip']);
  });

  it('when the account is locked out, answers 429 without counting against the account or hashing', async () => {
    const { calls, run } = loginWith({ locked: true });
    await expect(run()).rejects.toBeInstanceOf(RateLimitedError);
    expect(calls).toEqual(['ip', 'locked?']);
  });

  it('when the account is over its limit, answers 429 without hashing', async () => {
    const { calls, run } = loginWith({ accountLimited: true });
    await expect(run()).rejects.toBeInstanceOf(RateLimitedError);
    expect(calls).toEqual(['ip', 'locked?', 'account']);
  });

  it('when the password is wrong, counts a failure after the hash and answers 401', async () => {
    const { calls, run } = loginWith();
    await expect(run()).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(calls).toEqual(['ip', 'locked?', 'account', 'find', 'hash', 'failed']);
  });

  it('when the password is right, clears the failures and issues tokens', async () => {
    const { calls, run } = loginWith({ passwordOk: true });
    await expect(run()).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(calls).toEqual(['ip', 'locked?', 'account', 'find', 'hash', 'succeeded', 'issue']);
  });
});
