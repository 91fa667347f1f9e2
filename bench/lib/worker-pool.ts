/**
 * Runs `task(i)` for i in [0, count) with at most `concurrency` in flight: closed-loop load,
 * bounded in count. `onDone` is told how many finished (for a progress bar).
 */
export async function runPool(count: number, concurrency: number, task: (i: number) => Promise<void>, onDone: (done: number) => void = () => {}): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await task(i);
      onDone(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
}

/**
 * Starts `task(i)` at a fixed rate (open loop) for `count` starts, catching up after a late timer
 * tick instead of drifting. A task that cannot start because `maxInFlight` are running is counted
 * as skipped rather than queued, so an overloaded system shows up as a shortfall, not as latency
 * that the bench itself added.
 */
export async function runAtRate(
  { ratePerSecond, count, maxInFlight }: { ratePerSecond: number; count: number; maxInFlight: number },
  task: (i: number) => Promise<void>,
  onStarted: (started: number) => void = () => {},
): Promise<{ started: number; skipped: number }> {
  const startedAt = performance.now();
  const running = new Set<Promise<void>>();
  let started = 0;
  let skipped = 0;
  for (let due = 0; due < count; ) {
    const shouldHaveStarted = Math.min(count, Math.floor(((performance.now() - startedAt) / 1000) * ratePerSecond) + 1);
    for (; due < shouldHaveStarted; due += 1) {
      if (running.size >= maxInFlight) {
        skipped += 1;
        continue;
      }
      const one = task(due).finally(() => running.delete(one));
      running.add(one);
      started += 1;
    }
    onStarted(due);
    if (due < count) await new Promise((resolveTick) => setTimeout(resolveTick, Math.max(1, 1000 / ratePerSecond / 2)));
  }
  await Promise.all(running);
  return { started, skipped };
}
