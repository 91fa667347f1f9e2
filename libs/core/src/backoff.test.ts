import { backoffMs } from './backoff';

describe('backoffMs', () => {
  it('doubles per attempt from the base delay, up to the maximum', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffMs({ attempt, baseMs: 500, maxMs: 4000 }))).toEqual([500, 1000, 2000, 4000, 4000]);
  });

  it('adds at most the given fraction of jitter', () => {
    expect(backoffMs({ attempt: 2, baseMs: 500, maxMs: 4000, jitter: 0.2, random: () => 0.999 })).toBe(1200);
    expect(backoffMs({ attempt: 2, baseMs: 500, maxMs: 4000, jitter: 0.2, random: () => 0 })).toBe(1000);
  });

  it('stays finite for absurd attempt counts', () => {
    expect(backoffMs({ attempt: 1e9, baseMs: 500, maxMs: 4000 })).toBe(4000);
  });
});
