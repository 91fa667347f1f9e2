import { randomUUID } from 'node:crypto';
import { UnavailableError } from '@herald/core';
import type { HeraldEvent } from '@herald/events';
import { eventually, queryNumber, request, startProbe, testKafka, type ReceivedRecord } from '@herald/testing';
import { asMessage, followChangeEvent, postCreatedEvent, publish, tokenIssuedEvent, userCreatedEvent } from './support/events';
import { startInProcessConsumer, type InProcessConsumer } from './support/in-process-consumer';

describe('retry topic and dead-letter queue', () => {
  const kafka = testKafka();
  let consumer: InProcessConsumer;
  let probe: Awaited<ReturnType<typeof startProbe>>;
  /** Event id -> how many more writes of it fail with a retriable error (Infinity: every one). */
  const failing = new Map<string, number>();

  beforeAll(async () => {
    consumer = await startInProcessConsumer({
      env: { RETRY_MAX_ATTEMPTS: '3', RETRY_BASE_DELAY_MS: '200' },
      faults: {
        beforeApply: (events: HeraldEvent[]) => {
          for (const { eventId } of events) {
            const left = failing.get(eventId) ?? 0;
            if (left <= 0) continue;
            failing.set(eventId, left - 1);
            throw new UnavailableError('the read model is busy (test fault)');
          }
        },
      },
    });
    probe = await startProbe(kafka, [consumer.topics.retry, consumer.topics.deadLetter]);
  }, 120_000);

  afterAll(async () => {
    await probe?.stop();
    await consumer?.stop();
  });

  const tokenCount = (jti: string) => queryNumber(consumer.databaseUrl, 'SELECT count(*) FROM issued_tokens WHERE jti = $1', [jti]);
  const onTopic = (topic: string, key: string) => (record: ReceivedRecord) => record.topic === topic && record.key === key;

  it('when a poisoned message arrives, it lands in the dead-letter queue with the error in its headers and the partition moves on', async () => {
    const key = randomUUID();
    const valid = tokenIssuedEvent(key);
    await publish(kafka, consumer.topics.issuedToken, [
      { key, value: '{"this is": not json' },
      { key, value: JSON.stringify({ ...tokenIssuedEvent(key), payload: { jti: 'not-a-uuid' } }) },
      asMessage(valid), // same key, so the same partition, after the two bad ones
    ]);

    const dead = await probe.waitFor(onTopic(consumer.topics.deadLetter, key), 2);
    expect(dead.map((record) => record.headers['x-error'])).toEqual([
      'value is not valid JSON',
      expect.stringMatching(/^value does not match the event schema: payload\.jti/),
    ]);
    for (const record of dead) {
      expect(record.headers).toMatchObject({ 'x-original-topic': consumer.topics.issuedToken, 'x-error-type': 'PoisonMessageError', 'x-attempt': '0' });
    }
    await eventually(async () => (await tokenCount(valid.payload.jti)) === 1, { what: 'the valid token after the poison projected' });
  });

  it('when writing fails transiently, the message is retried with growing delays and then succeeds', async () => {
    const key = randomUUID();
    const token = tokenIssuedEvent(key);
    failing.set(token.eventId, 3); // the batch write, the write alone, and the first retry fail
    const sentAt = Date.now();
    await publish(kafka, consumer.topics.issuedToken, [asMessage(token)]);

    await eventually(async () => (await tokenCount(token.payload.jti)) === 1, { what: 'the retried token projected' });
    const retries = probe.records.filter(onTopic(consumer.topics.retry, key));
    expect(retries.map((record) => record.headers['x-attempt'])).toEqual(['1', '2']);
    expect(retries[0]!.headers).toMatchObject({ 'x-original-topic': consumer.topics.issuedToken, 'x-error-type': 'UnavailableError', 'event-type': 'issued-token' });
    expect(Number(retries[0]!.headers['x-not-before'])).toBeGreaterThanOrEqual(sentAt + 200);
    expect(probe.records.filter(onTopic(consumer.topics.deadLetter, key))).toEqual([]);

    const metrics = (await request(consumer.url, 'GET', '/metrics', undefined, consumer.asOperator)).body as string;
    expect(metrics).toMatch(new RegExp(`herald_consumer_retried_total\\{topic="${consumer.topics.issuedToken.replaceAll('.', '\\.')}"\\} [1-9]`));
  });

  it("when a post's fan-out fails transiently, it goes through the retry topic and then lands in the follower's feed once", async () => {
    const [author, follower] = [randomUUID(), randomUUID()];
    await publish(kafka, consumer.topics.userFollowed, [asMessage(followChangeEvent(follower, author))]);
    await eventually(async () => (await queryNumber(consumer.databaseUrl, 'SELECT count(*) FROM follows WHERE followee_id = $1', [author])) === 1, { what: 'follow projected' });
    const post = postCreatedEvent(author);
    failing.set(post.eventId, 3);
    await publish(kafka, consumer.topics.postCreated, [asMessage(post)]);

    const entries = () => queryNumber(consumer.databaseUrl, 'SELECT count(*) FROM feed_entries WHERE viewer_id = $1 AND post_id = $2', [follower, post.payload.postId]);
    await eventually(async () => (await entries()) === 1, { what: 'the retried post fanned out' });
    const retries = probe.records.filter(onTopic(consumer.topics.retry, author));
    expect(retries.map((record) => record.headers['x-attempt'])).toEqual(['1', '2']);
    expect(retries[0]!.headers).toMatchObject({ 'x-original-topic': consumer.topics.postCreated, 'event-type': 'post-created' });
    expect(probe.records.filter(onTopic(consumer.topics.deadLetter, author))).toEqual([]);
  });

  it('when the failure outlasts the last attempt, the message goes to the dead-letter queue after growing delays', async () => {
    const key = randomUUID();
    const token = tokenIssuedEvent(key);
    failing.set(token.eventId, Infinity);
    await publish(kafka, consumer.topics.issuedToken, [asMessage(token)]);

    const [dead] = await probe.waitFor(onTopic(consumer.topics.deadLetter, key), 1, 30_000);
    expect(dead!.headers).toMatchObject({ 'x-attempt': '3', 'x-error-type': 'UnavailableError', 'x-original-topic': consumer.topics.issuedToken });
    const retries = probe.records.filter(onTopic(consumer.topics.retry, key));
    expect(retries.map((record) => record.headers['x-attempt'])).toEqual(['1', '2', '3']);
    // Each attempt is due no earlier than the previous one plus a doubling delay (200, 400, 800 ms).
    const notBefore = retries.map((record) => Number(record.headers['x-not-before']));
    expect(notBefore[1]! - notBefore[0]!).toBeGreaterThanOrEqual(400);
    expect(notBefore[2]! - notBefore[1]!).toBeGreaterThanOrEqual(800);
    expect(await tokenCount(token.payload.jti)).toBe(0);
  });

  it('when a token arrives long before its user, it is stored at once and never retried', async () => {
    const user = userCreatedEvent();
    const token = tokenIssuedEvent(user.payload.userId);
    await publish(kafka, consumer.topics.issuedToken, [asMessage(token)]);
    await eventually(async () => (await tokenCount(token.payload.jti)) === 1, { what: 'the token stored before its user' });
    await publish(kafka, consumer.topics.newUserCreated, [asMessage(user)]);
    await eventually(async () => (await queryNumber(consumer.databaseUrl, 'SELECT count(*) FROM users WHERE id = $1', [user.payload.userId])) === 1, { what: 'the user projected' });
    expect(probe.records.filter(onTopic(consumer.topics.retry, user.payload.userId))).toEqual([]);
  });

  it('when an event carries fields this consumer does not know (a producer deployed first added them), they are ignored and it is projected', async () => {
    const token = tokenIssuedEvent(randomUUID());
    const added = { ...token, traceId: 'abc', payload: { ...token.payload, device: 'phone' } };
    await publish(kafka, consumer.topics.issuedToken, [{ ...asMessage(token), value: JSON.stringify(added) }]);
    await eventually(async () => (await tokenCount(token.payload.jti)) === 1, { what: 'the token with extra fields projected' });
    expect(probe.records.filter(onTopic(consumer.topics.deadLetter, token.payload.userId))).toEqual([]);
  });

  it('when an event is of a newer version than this consumer knows, it waits on the retry topic, is never dead-lettered, and the partition moves on', async () => {
    const key = randomUUID();
    const newer = { ...tokenIssuedEvent(key), version: 2 };
    const behind = tokenIssuedEvent(key);
    await publish(kafka, consumer.topics.issuedToken, [{ key, value: JSON.stringify(newer) }, asMessage(behind)]);

    await eventually(async () => (await tokenCount(behind.payload.jti)) === 1, { what: 'the event behind the newer one projected' });
    // Past its last attempt (3) it keeps waiting at the longest backoff, its attempt count at the maximum.
    const waits = await probe.waitFor(onTopic(consumer.topics.retry, key), 5, 30_000);
    expect(waits.map((record) => record.headers['x-attempt'])).toEqual(['1', '2', '3', '3', '3']);
    expect(waits[0]!.headers).toMatchObject({ 'x-error-type': 'NewerVersionError', 'x-original-topic': consumer.topics.issuedToken });
    expect(JSON.parse(waits.at(-1)!.value)).toEqual(newer); // the value as it was written, for the consumer that can read it
    expect(probe.records.filter(onTopic(consumer.topics.deadLetter, key))).toEqual([]);
    expect(await tokenCount(newer.payload.jti)).toBe(0);
  }, 60_000);
});
