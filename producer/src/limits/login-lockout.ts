import { askLimit, refuse, retryAfterSeconds, type Limiter, type LimiterFactory } from './limiter';
import { accountKey } from './request-limits';

export interface LoginLockoutSettings {
  /** Consecutive failures of one account from one IP before that pair is locked out. */
  failures: number;
  /** Failures of one account from any IP before the whole account is locked out. */
  accountFailures: number;
  failureWindowSeconds: number;
  lockSeconds: number;
  maxLockSeconds: number;
  /** How long a 429 is held before it is sent (see `refuse`). */
  refusalDelayMs: number;
}

export interface LoginAttempt {
  ip: string;
  username: string;
}

// How long a pair's past lock-outs count towards the length of its next one.
const LOCKOUT_MEMORY_SECONDS = 24 * 3600;

interface Scope {
  failures: Limiter;
  lockouts: Limiter;
  key(attempt: LoginAttempt): string;
}

export type LoginLockout = ReturnType<typeof createLoginLockout>;

/**
 * OWASP-style lock-out on failed logins, per account from one IP and (at a higher threshold)
 * per account from anywhere. After N failures the subject is blocked; each further lock-out of
 * the same subject lasts twice as long, up to a maximum; a successful login clears it all.
 * `assertNotLocked` only reads, and runs before the password hash, so a locked-out guesser costs
 * a query, not an argon2 run.
 */
export function createLoginLockout({ limiter, settings }: { limiter: LimiterFactory; settings: LoginLockoutSettings }) {
  const scope = (name: string, points: number, key: Scope['key']): Scope => ({
    failures: limiter({ name: `login-fail-${name}`, points, durationSeconds: settings.failureWindowSeconds }),
    lockouts: limiter({ name: `login-lockouts-${name}`, points: Number.MAX_SAFE_INTEGER, durationSeconds: LOCKOUT_MEMORY_SECONDS }),
    key,
  });
  // The IP comes first and holds no "|", so no username can make two subjects share a key.
  const scopes = [
    scope('ip-account', settings.failures, ({ ip, username }) => `${ip}|${accountKey(username)}`),
    scope('account', settings.accountFailures, ({ username }) => accountKey(username)),
  ];
  const refusal = { message: 'Too many failed logins', delayMs: settings.refusalDelayMs };

  return {
    async assertNotLocked(attempt: LoginAttempt): Promise<void> {
      const states = await askLimit(() => Promise.all(scopes.map(({ failures, key }) => failures.get(key(attempt)))), refusal);
      const locked = states.flatMap((state, i) => (state && state.consumedPoints > scopes[i]!.failures.points ? [retryAfterSeconds(state)] : []));
      if (locked.length > 0) await refuse(refusal.message, Math.max(...locked), refusal.delayMs);
    },

    async failed(attempt: LoginAttempt): Promise<void> {
      await askLimit(
        () =>
          Promise.all(
            scopes.map(async ({ failures, lockouts, key }) => {
              const counted = await failures.penalty(key(attempt));
              if (counted.consumedPoints < failures.points) return;
              const { consumedPoints: lockoutCount } = await lockouts.penalty(key(attempt));
              await failures.block(key(attempt), Math.min(settings.lockSeconds * 2 ** (lockoutCount - 1), settings.maxLockSeconds));
            }),
          ),
        refusal,
      );
    },

    async succeeded(attempt: LoginAttempt): Promise<void> {
      await askLimit(() => Promise.all(scopes.flatMap(({ failures, lockouts, key }) => [failures.delete(key(attempt)), lockouts.delete(key(attempt))])), refusal);
    },
  };
}
