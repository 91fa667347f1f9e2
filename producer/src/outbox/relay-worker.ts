// The outbox relay's thread: LISTEN connection, relay loop and Kafka producer, off the event loop
// that serves HTTP, so a busy API does not delay publishing (and publishing does not delay the API).
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '@herald/core';
import { startTracing } from '@herald/telemetry';
import type { FromRelay, RelaySettings, ToRelay } from './relay-messages';
import { startRelayRuntime } from './relay-runtime';

const settings = workerData as RelaySettings;
const port = parentPort!;
const post = (message: FromRelay) => port.postMessage(message);
// A worker shares no globals with the main thread: its send spans need a provider of their own.
const tracing = startTracing({ config: settings.tracing, serviceName: 'herald-producer', instrument: false });

const runtime = startRelayRuntime({
  settings,
  metrics: { published: { inc: (count = 1) => post({ type: 'published', count }) }, failures: { inc: () => post({ type: 'failure' }) } },
  logger: createLogger({ name: 'producer', level: settings.logLevel }).child({ component: 'outbox-relay' }),
});

let connected = false;
const state = setInterval(() => {
  if (runtime.isConnected() === connected) return;
  connected = !connected;
  post({ type: 'connected', value: connected });
}, 100);

port.on('message', (message: ToRelay) => {
  if (message.type !== 'stop') return;
  clearInterval(state);
  void runtime.stop(message.timeoutMs).then(async () => {
    await tracing.stop();
    post({ type: 'stopped' });
    port.close();
  });
});
