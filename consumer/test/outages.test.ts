import { join } from 'node:path';
import { createTestDatabase, eventually, isReady, queryNumber, request, silentLogger, startTestUserKeysServer, testInfra, testKafka, uniqueName, type TestUserKeysServer } from '@herald/testing';
import { freePort, startEmbeddedPostgres, startKafkaBroker, type KafkaBroker, type PostgresServer } from '@herald/local-infra';
import { loadConfig } from '../src/config';
import { startConsumer, type RunningConsumer } from '../src/main';
import { asMessage, publish, userCreatedEvent } from './support/events';

/** Each case runs a broker or a database of its own, so it can stop and start it without touching the others. */
describe('when the consumer loses Kafka or PostgreSQL', () => {
  const { kafkaBrokers, dataDir } = testInfra();
  let consumer: RunningConsumer | undefined;
  let broker: KafkaBroker | undefined;
  let postgres: PostgresServer | undefined;
  // The users' keys of the events this test makes (no producer runs here).
  let userKeys: TestUserKeysServer;

  beforeAll(async () => {
    userKeys = await startTestUserKeysServer();
  });

  afterAll(async () => {
    await userKeys?.stop();
  });

  afterEach(async () => {
    await consumer?.stop();
    await broker?.stop();
    await postgres?.stop();
    consumer = broker = postgres = undefined;
  });

  const configFor = (env: Record<string, string>) =>
    loadConfig({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      KAFKA_TOPIC_PREFIX: `${uniqueName('test-')}.`,
      CONSUMER_GROUP_PREFIX: uniqueName('herald-consumer-test-'),
      CONSUMER_SESSION_TIMEOUT_MS: '6000',
      USER_KEYS_URL: userKeys.url,
      USER_KEYS_TOKEN: userKeys.token,
      ...env,
    });

  it('starts without Kafka, serves the read model, is not ready, and catches up once the broker is there', async () => {
    const database = await createTestDatabase('consumer_test');
    const brokerDir = join(dataDir, uniqueName('consumer-outage-kafka-'));
    const brokerOptions = { port: await freePort(), controllerPort: await freePort(), dataDir: brokerDir, logFile: join(brokerDir, 'server.log'), heapMb: 384 };
    const config = configFor({ DATABASE_URL: database.url, KAFKA_BROKERS: `127.0.0.1:${brokerOptions.port}` });
    try {
      consumer = await startConsumer(config, silentLogger('consumer-test'));
      expect((await request(consumer.url, 'GET', '/health')).status).toBe(200);
      expect((await request(consumer.url, 'GET', '/ready')).body.checks).toEqual({ database: true, kafka: false, 'projector.consumers': false, 'read-api.live-feed': false, 'ops.live-feed': false });
      const page = await request(consumer.url, 'POST', '/graphql', { query: '{ users { totalCount } }' });
      expect(page.body).toEqual({ data: { users: { totalCount: 0 } } });

      broker = await startKafkaBroker(brokerOptions);
      await eventually(isReady(consumer.url), { timeoutMs: 60_000, what: 'consumer ready once the broker is up' });
      const user = userCreatedEvent();
      await publish(testKafka(broker.brokers), config.topics.newUserCreated, [asMessage(user)]);
      await eventually(async () => (await queryNumber(database.url, 'SELECT count(*) FROM users')) === 1, { what: 'the user projected' });
    } finally {
      await consumer?.stop();
      consumer = undefined;
      await database.drop();
    }
  }, 120_000);

  it('when PostgreSQL goes away mid-stream, commits nothing it could not write and ends with every event exactly once', async () => {
    const pgDir = join(dataDir, uniqueName('consumer-outage-pg-'));
    const pgPort = await freePort();
    postgres = await startEmbeddedPostgres({ dataDir: pgDir, port: pgPort });
    const config = configFor({ DATABASE_URL: postgres.url('postgres'), KAFKA_BROKERS: kafkaBrokers, DATABASE_POOL_MAX: '4' });
    consumer = await startConsumer(config, silentLogger('consumer-test'));
    await eventually(isReady(consumer.url), { timeoutMs: 60_000, what: 'consumer ready' });

    const kafka = testKafka(kafkaBrokers);
    const first = Array.from({ length: 50 }, () => userCreatedEvent());
    await publish(kafka, config.topics.newUserCreated, first.map(asMessage));
    const count = () => queryNumber(postgres!.url('postgres'), 'SELECT count(*) FROM users');
    await eventually(async () => (await count()) === 50, { what: 'the first events projected' });

    await postgres.stop();
    const second = Array.from({ length: 50 }, () => userCreatedEvent());
    await publish(kafka, config.topics.newUserCreated, second.map(asMessage));
    await new Promise((resolveWait) => setTimeout(resolveWait, 2000)); // the consumer fails against the missing database meanwhile
    postgres = await startEmbeddedPostgres({ dataDir: pgDir, port: pgPort });

    await eventually(async () => (await count()) === 100, { timeoutMs: 60_000, what: 'the events from the outage projected' });
    expect(await queryNumber(postgres.url('postgres'), 'SELECT count(DISTINCT id) FROM users')).toBe(100);
  }, 120_000);
});
