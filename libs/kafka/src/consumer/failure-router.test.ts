import { retryDelayMs } from './failure-router';

describe('retry backoff', () => {
  const policy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 4000 };

  it('doubles per attempt from the base delay, up to the maximum', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelayMs(attempt, policy, () => 0))).toEqual([500, 1000, 2000, 4000, 4000]);
  });

  it('adds at most 20% jitter so retries of many messages spread out', () => {
    expect(retryDelayMs(2, policy, () => 0.999)).toBe(1200);
  });
});
