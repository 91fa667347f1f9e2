// The outbox relay's thread: LISTEN connection, relay loop and Kafka producer, off the event loop
// that serves HTTP, so a busy API does not delay publishing (and publishing does not delay the API).
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '@herald/core';
import { pgOptions } from '@herald/db';
import { createKafka } from '@herald/kafka';
import { Pool } from 'pg';
import { createOutboxListener } from './outbox-listener';
import { createOutboxRelay } from './outbox-relay';
import type { FromRelay, RelaySettings, ToRelay } from './relay-messages';

const settings = workerData as RelaySettings;
const port = parentPort!;
const post = (message: FromRelay) => port.postMessage(message);
const logger = createLogger({ name: 'producer', level: settings.logLevel }).child({ component: 'outbox-relay' });

const pool = new Pool({ ...pgOptions(settings.database), max: 2 });
const relay = createOutboxRelay({
  pool,
  kafka: createKafka({ config: settings.kafka, logger }),
  topics: settings.topics,
  partitions: settings.kafka.partitions,
  replicationFactor: settings.kafka.replicationFactor,
  ...settings.outbox,
  metrics: { published: { inc: (count = 1) => post({ type: 'published', count }) }, failures: { inc: () => post({ type: 'failure' }) } },
  logger,
});
const listener = createOutboxListener({ connection: pgOptions(settings.database), onNotify: () => relay.wake(), logger });

let connected = false;
const state = setInterval(() => {
  if (relay.isConnected() === connected) return;
  connected = !connected;
  post({ type: 'connected', value: connected });
}, 100);

port.on('message', (message: ToRelay) => {
  if (message.type !== 'stop') return;
  void (async () => {
    clearInterval(state);
    await listener.stop();
    await relay.stop(message.timeoutMs);
    await pool.end();
    post({ type: 'stopped' });
    port.close();
  })();
});

void listener.start().then(() => relay.start());
