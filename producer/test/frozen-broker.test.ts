import { createLogger } from '@herald/core';
import { eventually, isReady, newUser } from '@herald/testing';
import { request } from './support/contract';
import { startKafkaBroker, type KafkaBroker } from '@herald/local-infra';
import { privateBrokerOptions } from '@herald/testing';
import { startProducer, type RunningProducer } from '../src/main';
import { outboxCounts } from './support/outbox';
import { createTestDatabase, testProducerConfig } from './support/test-env';

/** A broker of this test's own, frozen with SIGSTOP: its connections stay open and nothing answers. */
describe('when the Kafka broker hangs', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let producer: RunningProducer;
  let broker: KafkaBroker;

  beforeAll(async () => {
    broker = await startKafkaBroker(await privateBrokerOptions('frozen'));
    database = await createTestDatabase();
    const config = testProducerConfig({ databaseUrl: database.url, overrides: { KAFKA_BROKERS: broker.brokers } });
    producer = await startProducer(config, createLogger({ name: 'producer-test', level: 'silent' }));
    await eventually(isReady(producer.url), { timeoutMs: 60_000, what: 'producer ready' });
  }, 120_000);

  afterAll(async () => {
    if (broker) process.kill(broker.pid, 'SIGCONT');
    await producer?.stop();
    await broker?.stop();
    await database?.drop();
  });

  it('/ready says kafka: false within seconds, sign-up still answers, and all is well again once the broker resumes', async () => {
    process.kill(broker.pid, 'SIGSTOP');
    const frozenAt = Date.now();
    await eventually(async () => (await request(producer.url, 'GET', '/ready')).status === 503, { timeoutMs: 15_000, what: '/ready failing' });
    expect(Date.now() - frozenAt).toBeLessThan(10_000);
    expect((await request(producer.url, 'GET', '/ready')).body.checks).toEqual({ database: true, kafka: false });
    expect((await request(producer.url, 'GET', '/health')).status).toBe(200);
    expect((await request(producer.url, 'POST', '/users', newUser())).status).toBe(201);

    process.kill(broker.pid, 'SIGCONT');
    await eventually(isReady(producer.url), { timeoutMs: 90_000, what: 'producer ready after the broker resumed' });
    await eventually(async () => (await outboxCounts(database.url)).pending === 0, { timeoutMs: 60_000, what: 'the sign-up made while frozen published' });
  }, 180_000);
});
