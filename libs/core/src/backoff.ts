/**
 * Exponential backoff: `baseMs` before the first retry, doubling per attempt up to `maxMs`, plus up
 * to `jitter` (a fraction of the delay) at random, so that many waiters do not retry in step.
 */
export function backoffMs({ attempt, baseMs, maxMs, jitter = 0, random = Math.random }: { attempt: number; baseMs: number; maxMs: number; jitter?: number; random?: () => number }): number {
  const delay = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.round(delay * (1 + jitter * random()));
}
