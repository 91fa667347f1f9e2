import { eventually, isReady, newUser, recordCount, silentLogger, startProbe, testKafka } from '@herald/testing';
import { request } from './support/contract';
import type { ProducerConfig } from '../src/config';
import { startProducer, type RunningProducer } from '../src/main';
import { outboxCounts, relayLockHolder, terminateBackend } from './support/outbox';
import { createTestDatabase, testProducerConfig } from './support/test-env';

describe('two producer instances on one database', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let config: ProducerConfig;
  let instances: RunningProducer[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    config = testProducerConfig({ databaseUrl: database.url });
    // Both start together: migrations take turns, topics are created once. One runs its relay in
    // a worker thread (OUTBOX_RELAY_THREAD=true), the other on its main event loop (the default).
    instances = await Promise.all([
      startProducer({ ...config, outboxRelayThread: true }, silentLogger('producer-a')),
      startProducer({ ...config, outboxRelayThread: false }, silentLogger('producer-b')),
    ]);
    for (const instance of instances) await eventually(isReady(instance.url), { what: 'instance ready' });
  });

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await database?.drop();
  });

  it('publishes every event exactly once, whichever instance took the write', async () => {
    const kafka = testKafka();
    const probe = await startProbe(kafka, [config.topics.newUserCreated]);
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => request(instances[i % 2]!.url, 'POST', '/users', newUser())));
      expect(answers.every((answer) => answer.status === 201)).toBe(true);
      await eventually(async () => (await outboxCounts(database.url)).pending === 0, { what: 'outbox drained' });
      const records = await probe.waitFor(() => true, 20);
      expect(new Set(records.map((record) => record.key))).toEqual(new Set(answers.map((answer) => answer.body.id)));
      expect(await recordCount(kafka, config.topics.newUserCreated)).toBe(20);
    } finally {
      await probe.stop();
    }
  });

  it('hands the publishing over when the publishing relay loses its database session', async () => {
    const before = await relayLockHolder(database.url);
    expect(before).toBeDefined();
    // What a crashed instance or a cut connection looks like to PostgreSQL: the session is gone,
    // and with it the session-level lock that made that relay the publisher.
    await terminateBackend(database.url, before!);
    await eventually(async () => {
      const holder = await relayLockHolder(database.url);
      return holder !== undefined && holder !== before;
    }, { what: 'a relay holds the lock again' });

    const kafka = testKafka();
    const published = await recordCount(kafka, config.topics.newUserCreated);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => request(instances[i % 2]!.url, 'POST', '/users', newUser())));
    expect(answers.every((answer) => answer.status === 201)).toBe(true);
    await eventually(async () => (await outboxCounts(database.url)).pending === 0, { what: 'outbox drained' });
    await eventually(async () => (await recordCount(kafka, config.topics.newUserCreated)) === published + 10, { what: '10 more records' });
  });
});
