import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '@herald/core';
import type { OutboxMetrics } from '../http/metrics';
import type { FromRelay, RelaySettings, ToRelay } from './relay-messages';
import type { RunningRelay } from './relay-runtime';


/**
 * Runs the outbox relay in a worker thread (relay-worker). If the thread dies, a new one is
 * started after a second: meanwhile events wait in the outbox, none is lost.
 */
export function startRelayThread({ settings, metrics, logger }: { settings: RelaySettings; metrics: OutboxMetrics; logger: Logger }): RunningRelay {
  // From TypeScript sources (development, tests) the thread needs tsx and the source condition;
  // built code is plain JS. Nothing else is passed on: a worker refuses process-wide flags such as
  // V8's heap sizes, and its own heap is set below.
  const fromSource = extname(__filename) === '.ts';
  const execArgv = fromSource ? ['--conditions=herald-source', '--import', 'tsx'] : [];
  let worker: Worker;
  let connected = false;
  let stopping = false;

  const spawn = () => {
    worker = new Worker(join(__dirname, `relay-worker${extname(__filename)}`), {
      workerData: settings,
      execArgv,
      // The relay holds one batch at a time; a small heap keeps the thread's memory small (if it
      // ever runs out, the thread is restarted and the rows are still in the outbox).
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 },
    });
    worker.on('message', (message: FromRelay) => {
      if (message.type === 'published') metrics.published.inc(message.count);
      else if (message.type === 'failure') metrics.failures.inc();
      else if (message.type === 'connected') connected = message.value;
    });
    worker.on('error', (error) => logger.error({ err: error }, 'outbox relay thread failed'));
    worker.on('exit', (code) => {
      connected = false;
      if (stopping) return;
      logger.error({ code }, 'outbox relay thread exited; starting a new one');
      setTimeout(() => {
        if (!stopping) spawn();
      }, 1000).unref();
    });
  };
  spawn();

  return {
    isConnected: () => connected,
    stop: (timeoutMs) =>
      new Promise<void>((resolveStop) => {
        stopping = true;
        const current = worker;
        const force = setTimeout(() => void current.terminate(), timeoutMs + 1000);
        current.once('exit', () => {
          clearTimeout(force);
          resolveStop();
        });
        current.postMessage({ type: 'stop', timeoutMs } satisfies ToRelay);
      }),
  };
}
