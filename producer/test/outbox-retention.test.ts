import { eventually, isReady, newUser, queryNumber, recordCount, silentLogger, testKafka } from '@herald/testing';
import { request } from './support/contract';
import type { ProducerConfig } from '../src/config';
import { startProducer, type RunningProducer } from '../src/main';
import { createTestDatabase, testProducerConfig } from './support/test-env';

describe('outbox retention', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let config: ProducerConfig;
  let producer: RunningProducer;

  beforeAll(async () => {
    database = await createTestDatabase();
    config = testProducerConfig({ databaseUrl: database.url, overrides: { OUTBOX_RETENTION_HOURS: '0', OUTBOX_PURGE_INTERVAL_MS: '200' } });
    producer = await startProducer(config, silentLogger('producer-test'));
    await eventually(isReady(producer.url), { what: 'producer ready' });
  });

  afterAll(async () => {
    await producer?.stop();
    await database?.drop();
  });

  it('deletes published rows once they are older than the retention, and only those', async () => {
    await request(producer.url, 'POST', '/users', newUser());
    await eventually(async () => (await recordCount(testKafka(), config.topics.newUserCreated)) === 1, { what: 'the event published' });
    await eventually(async () => (await queryNumber(database.url, 'SELECT count(*) FROM outbox_events')) === 0, { what: 'the published row purged' });
    // An unsent row is never purged, however old.
    await queryNumber(
      database.url,
      `WITH inserted AS (INSERT INTO outbox_events (event_id, topic, key, value, created_at) VALUES (gen_random_uuid(), 'nowhere', 'k', '{}', now() - interval '1 year') RETURNING 1) SELECT count(*) FROM inserted`,
    );
    await new Promise((resolveWait) => setTimeout(resolveWait, 600));
    expect(await queryNumber(database.url, "SELECT count(*) FROM outbox_events WHERE topic = 'nowhere'")).toBe(1);
  });
});
