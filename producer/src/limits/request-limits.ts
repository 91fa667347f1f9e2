import { askLimit, type LimiterFactory } from './limiter';

export interface RequestLimitSettings {
  /** How long a 429 is held before it is sent (see `refuse`). */
  refusalDelayMs: number;
  signUp: { perIp: number; perAccount: number; windowSeconds: number };
  login: { perIp: number; perAccount: number; windowSeconds: number };
  refresh: { perIp: number; windowSeconds: number };
  /** Per signed-in user: posts written, and follows and unfollows made. */
  post: { perUser: number; windowSeconds: number };
  follow: { perUser: number; windowSeconds: number };
  /** Per signed-in user: logouts and password changes (a password change costs a password hash, twice). */
  session: { perUser: number; windowSeconds: number };
  /** Per signed-in user: profile changes (a new e-mail costs a password hash). */
  profile: { perUser: number; windowSeconds: number };
}

export type RequestLimits = ReturnType<typeof createRequestLimits>;

/** The subject of a limit: the account is the username, lower-cased (as it is unique). */
export const accountKey = (username: string): string => username.toLowerCase();


/**
 * How often one client IP, and one account, may call sign-up, login and refresh, and one user
 * post, follow and unfollow. Each call
 * consumes a point and throws a RateLimitedError once the window's points are gone. The per-IP
 * limits are checked first and remember a block in memory, so a flood from one IP stops there.
 */
export function createRequestLimits({ limiter, settings }: { limiter: LimiterFactory; settings: RequestLimitSettings }) {
  const { signUp, login, refresh, post, follow, session, profile, refusalDelayMs: delayMs } = settings;
  const signUpByIp = limiter({ name: 'signup-ip', points: signUp.perIp, durationSeconds: signUp.windowSeconds, blockInMemory: true });
  const signUpByAccount = limiter({ name: 'signup-account', points: signUp.perAccount, durationSeconds: signUp.windowSeconds });
  const loginByIp = limiter({ name: 'login-ip', points: login.perIp, durationSeconds: login.windowSeconds, blockInMemory: true });
  const loginByAccount = limiter({ name: 'login-account', points: login.perAccount, durationSeconds: login.windowSeconds });
  const refreshByIp = limiter({ name: 'refresh-ip', points: refresh.perIp, durationSeconds: refresh.windowSeconds, blockInMemory: true });
  const postByUser = limiter({ name: 'post-user', points: post.perUser, durationSeconds: post.windowSeconds, blockInMemory: true });
  const sessionByUser = limiter({ name: 'session-user', points: session.perUser, durationSeconds: session.windowSeconds, blockInMemory: true });
  const profileByUser = limiter({ name: 'profile-user', points: profile.perUser, durationSeconds: profile.windowSeconds, blockInMemory: true });
  const followByUser = limiter({ name: 'follow-user', points: follow.perUser, durationSeconds: follow.windowSeconds, blockInMemory: true });

  const tooMany = { message: 'Too many requests', delayMs };
  return {
    async signUp({ ip, username }: { ip: string; username: string }): Promise<void> {
      await askLimit(() => signUpByIp.consume(ip), tooMany);
      await askLimit(() => signUpByAccount.consume(accountKey(username)), { message: 'Too many sign-ups for this username', delayMs });
    },
    async loginByIp({ ip }: { ip: string }): Promise<void> {
      await askLimit(() => loginByIp.consume(ip), tooMany);
    },
    async loginByAccount({ username }: { username: string }): Promise<void> {
      await askLimit(() => loginByAccount.consume(accountKey(username)), { message: 'Too many logins for this account', delayMs });
    },
    // Per IP only: which account a refresh token belongs to is known only after looking it up,
    // and a refresh costs one hash of a random token, not a password hash.
    async refresh({ ip }: { ip: string }): Promise<void> {
      await askLimit(() => refreshByIp.consume(ip), tooMany);
    },
    // Per user (the token's subject): the writes of the feed need a token, so the account is
    // known before anything is written, and a flood from one account stops at its own limit.
    async post({ userId }: { userId: string }): Promise<void> {
      await askLimit(() => postByUser.consume(userId), { message: 'Too many posts', delayMs });
    },
    async follow({ userId }: { userId: string }): Promise<void> {
      await askLimit(() => followByUser.consume(userId), { message: 'Too many follows and unfollows', delayMs });
    },
    async profile({ userId }: { userId: string }): Promise<void> {
      await askLimit(() => profileByUser.consume(userId), { message: 'Too many profile changes', delayMs });
    },
    async session({ userId }: { userId: string }): Promise<void> {
      await askLimit(() => sessionByUser.consume(userId), { message: 'Too many logouts and password changes', delayMs });
    },
  };
}
