import { eventually, queryNumber, recordCount, testKafka } from '@herald/testing';
import { asMessage, postCreatedEvent, publish, userCreatedEvent } from './support/events';
import { startInProcessConsumer, type InProcessConsumer } from './support/in-process-consumer';

/**
 * Sign-ups and posts need their users' keys: while the producer cannot give them, their groups
 * wait (nothing written, nothing retried or dead-lettered), and catch up once it can (real Kafka
 * and PostgreSQL; the key service is the stand-in with the producer's contract).
 */
describe('when users\' keys cannot be had', () => {
  let consumer: InProcessConsumer;
  const kafka = testKafka();

  beforeAll(async () => {
    consumer = await startInProcessConsumer();
  }, 120_000);

  afterAll(async () => {
    await consumer?.stop();
  });

  it('projects no sign-up or post, sends none to the retry topic or the dead-letter queue, and projects all of them once the keys come back', async () => {
    const users = Array.from({ length: 20 }, () => userCreatedEvent());
    consumer.userKeys.refuse(true);
    await publish(kafka, consumer.topics.newUserCreated, users.map(asMessage));
    await publish(kafka, consumer.topics.postCreated, users.map((user) => asMessage(postCreatedEvent(user.payload.userId))));
    // Long enough for several read attempts (the groups restart after 1 s, doubling).
    await new Promise((resolveWait) => setTimeout(resolveWait, 5000));
    expect(await queryNumber(consumer.databaseUrl, 'SELECT count(*) FROM users')).toBe(0);
    expect(await queryNumber(consumer.databaseUrl, 'SELECT count(*) FROM posts')).toBe(0);
    expect(await recordCount(kafka, consumer.topics.retry)).toBe(0);
    expect(await recordCount(kafka, consumer.topics.deadLetter)).toBe(0);

    consumer.userKeys.refuse(false);
    await eventually(async () => (await queryNumber(consumer.databaseUrl, 'SELECT count(*) FROM users')) === 20 && (await queryNumber(consumer.databaseUrl, 'SELECT count(*) FROM posts')) === 20, {
      timeoutMs: 90_000,
      what: 'every sign-up and post projected once the keys come back',
    });
    expect(await recordCount(kafka, consumer.topics.deadLetter)).toBe(0);
  }, 150_000);
});
