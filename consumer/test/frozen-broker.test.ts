import { eventually, isReady, queryNumber, request, testKafka } from '@herald/testing';
import { startKafkaBroker, type KafkaBroker } from '@herald/local-infra';
import { privateBrokerOptions } from '@herald/testing';
import { asMessage, publish, userCreatedEvent } from './support/events';
import { startInProcessConsumer, type InProcessConsumer } from './support/in-process-consumer';

/** A broker of this test's own, frozen with SIGSTOP: its connections stay open and nothing answers. */
describe('when the Kafka broker hangs', () => {
  let broker: KafkaBroker;
  let consumer: InProcessConsumer;

  beforeAll(async () => {
    broker = await startKafkaBroker(await privateBrokerOptions('frozen'));
    consumer = await startInProcessConsumer({ kafkaBrokers: broker.brokers });
  }, 120_000);

  afterAll(async () => {
    if (broker) process.kill(broker.pid, 'SIGCONT');
    await consumer?.stop();
    await broker?.stop();
  });

  it("the consumer's /ready says kafka: false within seconds, /health stays green, and events flow again once the broker resumes", async () => {
    process.kill(broker.pid, 'SIGSTOP');
    const frozenAt = Date.now();
    await eventually(async () => (await request(consumer.url, 'GET', '/ready')).status === 503, { timeoutMs: 15_000, what: '/ready failing' });
    expect(Date.now() - frozenAt).toBeLessThan(10_000);
    expect((await request(consumer.url, 'GET', '/ready')).body.checks).toMatchObject({ kafka: false, database: true });
    expect((await request(consumer.url, 'GET', '/health')).status).toBe(200);

    process.kill(broker.pid, 'SIGCONT');
    await eventually(isReady(consumer.url), { timeoutMs: 90_000, what: 'consumer ready after the broker resumed' });
    const user = userCreatedEvent();
    await publish(testKafka(broker.brokers), consumer.topics.newUserCreated, [asMessage(user)]);
    await eventually(async () => (await queryNumber(consumer.databaseUrl, 'SELECT count(*) FROM users WHERE id = $1', [user.payload.userId])) === 1, { timeoutMs: 60_000, what: 'a user published after the resume projected' });
  }, 180_000);
});
