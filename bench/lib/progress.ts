import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

/**
 * A progress bar for one phase of a long run. On a terminal only: in CI logs and in the smoke
 * test a bar would be noise, so it turns into nothing.
 */
export function createProgress(what: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || total <= 0) return { update: () => {}, stop: () => {} };
  const bar = new SingleBar({ format: `  ${what.padEnd(28)} [{bar}] {percentage}% | {value}/{total} | {duration}s`, stream, hideCursor: true, clearOnComplete: false }, Presets.shades_classic);
  bar.start(total, 0);
  return { update: (done) => bar.update(Math.min(done, total)), stop: () => bar.stop() };
}

/** A bar that moves with the clock, for phases bounded by time rather than count. */
export function timedProgress(what: string, seconds: number): Progress {
  const progress = createProgress(what, Math.round(seconds * 10));
  const started = Date.now();
  const timer = setInterval(() => progress.update(Math.round((Date.now() - started) / 100)), 200);
  return {
    update: () => {},
    stop() {
      clearInterval(timer);
      progress.update(Math.round(seconds * 10));
      progress.stop();
    },
  };
}
