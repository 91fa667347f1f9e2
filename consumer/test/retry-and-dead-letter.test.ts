import { randomUUID } from 'node:crypto';
import { eventually, queryNumber, request, startProbe, testKafka, type ReceivedRecord } from '@herald/testing';
import { asMessage, publish, tokenIssuedEvent, userCreatedEvent } from './support/events';
import { startSystem, type TestSystem } from './support/system';

describe('retry topic and dead-letter queue', () => {
  let system: TestSystem;
  const kafka = testKafka();
  let probe: Awaited<ReturnType<typeof startProbe>>;
  let topics: { users: string; tokens: string; retry: string; deadLetter: string };

  beforeAll(async () => {
    system = await startSystem({ producer: false, consumerEnv: { RETRY_MAX_ATTEMPTS: '3', RETRY_BASE_DELAY_MS: '200' } });
    topics = {
      users: `${system.topicPrefix}new-user-created`,
      tokens: `${system.topicPrefix}issued-token`,
      retry: `${system.topicPrefix}side-topic-for-retry`,
      deadLetter: `${system.topicPrefix}dead-letter-queue`,
    };
    probe = await startProbe(kafka, [topics.retry, topics.deadLetter]);
  }, 120_000);

  afterAll(async () => {
    await probe?.stop();
    await system?.stop();
  });

  const tokenCount = (jti: string) => queryNumber(system.consumerDatabaseUrl, 'SELECT count(*) FROM issued_tokens WHERE jti = $1', [jti]);
  const userCount = (id: string) => queryNumber(system.consumerDatabaseUrl, 'SELECT count(*) FROM users WHERE id = $1', [id]);

  it('when a poisoned message arrives, it lands in the dead-letter queue with the error in its headers and the partition moves on', async () => {
    const user = userCreatedEvent();
    await publish(kafka, topics.users, [asMessage(user)]);
    await eventually(async () => (await userCount(user.payload.userId)) === 1, { what: 'user projected' });

    const key = user.payload.userId;
    const valid = tokenIssuedEvent(key);
    await publish(kafka, topics.tokens, [
      { key, value: '{"this is": not json' },
      { key, value: JSON.stringify({ ...tokenIssuedEvent(key), payload: { jti: 'not-a-uuid' } }) },
      asMessage(valid), // same key, so the same partition, after the two bad ones
    ]);

    const dead = await probe.waitFor((record) => record.topic === topics.deadLetter && record.key === key, 2);
    expect(dead.map((record) => record.headers['x-error'])).toEqual([
      'value is not valid JSON',
      expect.stringMatching(/^value does not match the event schema: payload\.jti/),
    ]);
    for (const record of dead) {
      expect(record.headers).toMatchObject({ 'x-original-topic': topics.tokens, 'x-error-type': 'PoisonMessageError', 'x-attempt': '0' });
    }
    await eventually(async () => (await tokenCount(valid.payload.jti)) === 1, { what: 'the valid token after the poison projected' });
  });

  it('when handling fails transiently (token before its user), the message is retried with backoff and then succeeds', async () => {
    const userId = randomUUID();
    const token = tokenIssuedEvent(userId);
    const sentAt = Date.now();
    await publish(kafka, topics.tokens, [asMessage(token)]);

    const [retry] = await probe.waitFor((record) => record.topic === topics.retry && record.key === userId);
    expect(retry!.headers).toMatchObject({ 'x-attempt': '1', 'x-original-topic': topics.tokens, 'x-error-type': 'UnknownUserError' });
    expect(Number(retry!.headers['x-not-before'])).toBeGreaterThanOrEqual(sentAt + 200);
    expect(await tokenCount(token.payload.jti)).toBe(0);

    await publish(kafka, topics.users, [asMessage(userCreatedEvent({ userId }))]);
    await eventually(async () => (await tokenCount(token.payload.jti)) === 1, { what: 'the retried token projected' });
    expect(probe.records.filter((record: ReceivedRecord) => record.topic === topics.deadLetter && record.key === userId)).toEqual([]);

    const metrics = (await request(system.consumerUrl, 'GET', '/metrics', undefined, system.asOperator)).body as string;
    expect(metrics).toMatch(new RegExp(`herald_consumer_retried_total\\{topic="${topics.tokens.replaceAll('.', '\\.')}"\\} [1-9]`));
  });

  it('when the failure outlasts the last attempt, the message goes to the dead-letter queue after growing delays', async () => {
    const userId = randomUUID(); // this user never arrives
    await publish(kafka, topics.tokens, [asMessage(tokenIssuedEvent(userId))]);

    const [dead] = await probe.waitFor((record) => record.topic === topics.deadLetter && record.key === userId, 1, 30_000);
    expect(dead!.headers).toMatchObject({ 'x-attempt': '3', 'x-error-type': 'UnknownUserError', 'x-original-topic': topics.tokens });
    const retries = probe.records.filter((record) => record.topic === topics.retry && record.key === userId);
    expect(retries.map((record) => record.headers['x-attempt'])).toEqual(['1', '2', '3']);
    // Each attempt is due no earlier than the previous one plus a doubling delay (200, 400, 800 ms).
    const notBefore = retries.map((record) => Number(record.headers['x-not-before']));
    expect(notBefore[1]! - notBefore[0]!).toBeGreaterThanOrEqual(400);
    expect(notBefore[2]! - notBefore[1]!).toBeGreaterThanOrEqual(800);
  });
});
