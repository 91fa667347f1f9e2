import { eventually, isReady, newUser, recordCount, startProbe, testKafka } from '@herald/testing';
import { request } from './support/contract';
import { createLogger } from '@herald/core';
import { startKafkaBroker, type KafkaBroker } from '@herald/local-infra';
import { privateBrokerOptions } from '@herald/testing';
import type { ProducerConfig } from '../src/config';
import { startProducer, type RunningProducer } from '../src/main';
import { outboxCounts } from './support/outbox';
import { createTestDatabase, testProducerConfig } from './support/test-env';

/**
 * This test starts and stops a broker of its own (the shared one must stay up for the other
 * test files), on fixed ports and one data folder, so a restart is the same broker coming back.
 */
describe('when the Kafka broker is down', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let config: ProducerConfig;
  let producer: RunningProducer;
  let broker: KafkaBroker | undefined;
  let brokerOptions: Parameters<typeof startKafkaBroker>[0];

  beforeAll(async () => {
    brokerOptions = await privateBrokerOptions('outage');
    database = await createTestDatabase();
    config = testProducerConfig({ databaseUrl: database.url, overrides: { KAFKA_BROKERS: `127.0.0.1:${brokerOptions.port}` } });
  });

  afterAll(async () => {
    await producer?.stop();
    await broker?.stop();
    await database?.drop();
  });

  const pending = async () => (await outboxCounts(database.url)).pending;

  it('the producer starts, sign-up answers 201, and each event is published once when the broker is back', async () => {
    // 1. No broker at all: the producer starts and is alive but not ready.
    producer = await startProducer(config, createLogger({ name: 'producer-test', level: 'silent' }));
    expect((await request(producer.url, 'GET', '/health')).status).toBe(200);
    expect((await request(producer.url, 'GET', '/ready')).body.checks).toEqual({ database: true, kafka: false });

    const first = await request(producer.url, 'POST', '/users', newUser());
    expect(first.status).toBe(201);
    expect(await pending()).toBe(1);

    // 2. The broker comes up: the relay creates the topics and publishes the waiting event.
    broker = await startKafkaBroker(brokerOptions);
    await eventually(isReady(producer.url), { timeoutMs: 60_000, what: 'producer ready after the broker started' });
    const kafka = testKafka(broker.brokers);
    const probe = await startProbe(kafka, [config.topics.newUserCreated]);
    await probe.waitFor((record) => record.key === first.body.id, 1, 30_000);
    await probe.stop();

    // 3. The broker stops again: sign-up still works, the event waits in the outbox.
    await broker.stop();
    const second = await request(producer.url, 'POST', '/users', newUser());
    expect(second.status).toBe(201);
    expect(await pending()).toBe(1);

    // 4. Back again: the second event arrives, and each event is on the topic exactly once.
    broker = await startKafkaBroker(brokerOptions);
    await eventually(async () => (await pending()) === 0, { timeoutMs: 60_000, what: 'outbox drained after the restart' });
    const again = await startProbe(kafka, [config.topics.newUserCreated]);
    const records = await again.waitFor(() => true, 2, 30_000);
    await again.stop();
    expect(records.map((record) => record.key).sort()).toEqual([first.body.id, second.body.id].sort());
    expect(await recordCount(kafka, config.topics.newUserCreated)).toBe(2);
  }, 180_000);
});
