import { setTimeout as sleep } from 'node:timers/promises';
import { RateLimitedError, UnavailableError } from '@herald/core';
import type { Pool } from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

/** The table every limit counts in (made by migration 0002). */
export const RATE_LIMIT_TABLE = 'rate_limits';

export interface LimitSpec {
  /** The key prefix in the table, e.g. `login-ip`. */
  name: string;
  points: number;
  durationSeconds: number;
  /**
   * Once PostgreSQL says a key is over its limit, this task remembers it until the window ends
   * and answers 429 without asking again: a flood from one client then costs no query. The count
   * itself stays in PostgreSQL, shared by every task.
   */
  blockInMemory?: boolean;
}

export type Limiter = RateLimiterPostgres;
export type LimiterFactory = (spec: LimitSpec) => Limiter;

/** Builds limits that count in the producer's database, through a pool of their own. */
export function createLimiterFactory({ pool }: { pool: Pool }): LimiterFactory {
  let cleaner = false;
  return ({ name, points, durationSeconds, blockInMemory = false }) => {
    // Every limit shares one table, so one of them deleting expired rows is enough.
    const clearExpiredByTimeout = !cleaner;
    cleaner = true;
    return new RateLimiterPostgres({
      storeClient: pool,
      storeType: 'pool',
      tableName: RATE_LIMIT_TABLE,
      tableCreated: true,
      clearExpiredByTimeout,
      keyPrefix: name,
      points,
      duration: durationSeconds,
      ...(blockInMemory ? { inMemoryBlockOnConsumed: points + 1 } : {}),
    });
  };
}

export const retryAfterSeconds = (res: { msBeforeNext: number }): number => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/**
 * A 429, after holding the answer for `delayMs`: a client that waits for each answer (as
 * password-guessing tools and a browser do) is slowed to one request per delay per connection,
 * instead of being answered as fast as it can ask.
 */
export async function refuse(message: string, seconds: number, delayMs: number): Promise<never> {
  if (delayMs > 0) await sleep(delayMs);
  throw new RateLimitedError(`${message}; try again in ${seconds} s`, seconds);
}

/**
 * Runs one question to the limit store. Over the limit: a RateLimitedError (429 with
 * Retry-After), held for `delayMs`. The store failing: an UnavailableError (503), failing closed —
 * the store is the producer's own database, without which no sign-up, login or refresh could
 * succeed anyway.
 */
export async function askLimit<T>(operation: () => Promise<T>, { message, delayMs }: { message: string; delayMs: number }): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    // The library rejects with a RateLimiterRes when over the limit, with an Error when the store failed.
    if (error instanceof RateLimiterRes) return refuse(message, retryAfterSeconds(error), delayMs);
    throw new UnavailableError('Abuse limits cannot be checked right now; try again shortly', { cause: error });
  }
}
