/**
 * Wraps a read that several gauges of one registry need at scrape time, so one scrape reads once.
 * prom-client calls every gauge's `collect` in the same tick; the first call starts the read, the
 * others share it, and the next scrape (after the read settles) reads again.
 */
export function oncePerScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => (pending ??= read().finally(() => setImmediate(() => (pending = undefined))));
}
