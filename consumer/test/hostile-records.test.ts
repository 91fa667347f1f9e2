import { randomUUID } from 'node:crypto';
import { HEADERS } from '@herald/events';
import { MAX_DECOMPRESSED_BATCH_BYTES } from '@herald/kafka';
import { CompressionTypes } from 'kafkajs';
import { eventually, queryNumber, request, startProbe, testKafka } from '@herald/testing';
import { asMessage, publish, tokenIssuedEvent, userCreatedEvent } from './support/events';
import { startInProcessConsumer, type InProcessConsumer } from './support/in-process-consumer';

/** The record-size limit of this test's topics: small, so records at the limit stay cheap. */
const MAX_MESSAGE_BYTES = 64 * 1024;

describe('records crafted to stop a consumer', () => {
  const kafka = testKafka();
  let consumer: InProcessConsumer;
  let probe: Awaited<ReturnType<typeof startProbe>>;

  beforeAll(async () => {
    consumer = await startInProcessConsumer({ maxMessageBytes: MAX_MESSAGE_BYTES, env: { RETRY_MAX_ATTEMPTS: '3' } });
    probe = await startProbe(kafka, [consumer.topics.deadLetter, consumer.topics.retry]);
  }, 120_000);

  afterAll(async () => {
    await probe?.stop();
    await consumer?.stop();
  });

  const userCount = (id: string) => queryNumber(consumer.databaseUrl, 'SELECT count(*) FROM users WHERE id = $1', [id]);
  const tokenCount = (jti: string) => queryNumber(consumer.databaseUrl, 'SELECT count(*) FROM issued_tokens WHERE jti = $1', [jti]);
  const deadLettersOf = (key: string) => probe.records.filter((record) => record.topic === consumer.topics.deadLetter && record.key === key);

  /** Every consumer still in its group, none crashed, and the task healthy. */
  async function expectNoConsumerStopped() {
    expect((await request(consumer.url, 'GET', '/ready')).status).toBe(200);
    expect((await request(consumer.url, 'GET', '/health')).status).toBe(200);
    const metrics = (await request(consumer.url, 'GET', '/metrics', undefined, consumer.asOperator)).body as string;
    expect(metrics).not.toMatch(/herald_consumer_crashes_total\{[^}]*restarted_by="service"\} [1-9]/);
  }

  it('when a record at the size limit cannot be applied, its dead-letter copy leaves out the value, points at the original, and the partition moves on', async () => {
    const key = randomUUID();
    const valid = userCreatedEvent({ userId: key });
    const huge = `{"padding":"${'x'.repeat(MAX_MESSAGE_BYTES - 300)}`; // not JSON: it never closes
    await publish(kafka, consumer.topics.newUserCreated, [{ key, value: huge }]);
    await publish(kafka, consumer.topics.newUserCreated, [asMessage(valid)]);

    const [dead] = await probe.waitFor((record) => record.topic === consumer.topics.deadLetter && record.key === key);
    expect(dead!.value).toBe('');
    expect(dead!.headers).toMatchObject({
      'x-original-topic': consumer.topics.newUserCreated,
      'x-original-offset': expect.stringMatching(/^\d+$/),
      'x-error': 'value is not valid JSON',
      'x-value-dropped': expect.stringMatching(/^value of \d+ bytes and the original headers left out/),
    });
    await eventually(async () => (await userCount(key)) === 1, { what: 'the valid user behind the huge record projected' });
    await expectNoConsumerStopped();
  });

  it('when a record on a producer topic carries forged retry headers, they are ignored and the event is projected', async () => {
    const user = userCreatedEvent();
    const key = user.payload.userId;
    const forgeries = [
      { 'x-attempt': 'abc' },
      { 'x-attempt': '-5', 'x-not-before': 'NaN' },
      { 'x-attempt': '1e308', 'x-original-topic': 'elsewhere', 'x-original-offset': '-1' },
      { 'x-attempt': '99999999999999999999', 'x-not-before': '99999999999999999999' },
    ];
    const tokens = forgeries.map(() => tokenIssuedEvent(key));
    await publish(kafka, consumer.topics.issuedToken, tokens.map((token, i) => ({ ...asMessage(token), headers: { ...asMessage(token).headers, ...forgeries[i] } })));
    await publish(kafka, consumer.topics.newUserCreated, [asMessage(user)]);

    for (const token of tokens) await eventually(async () => (await tokenCount(token.payload.jti)) === 1, { what: 'a token with forged headers projected' });
    expect(deadLettersOf(key)).toEqual([]);
    await expectNoConsumerStopped();
  });

  it('when a record on the retry topic carries retry headers this consumer did not write, it is dead-lettered with the reason and the retry partition moves on', async () => {
    const key = randomUUID();
    const token = tokenIssuedEvent(key);
    const retryHeaders = (overrides: Record<string, string>) => ({
      [HEADERS.eventType]: 'issued-token',
      'x-original-topic': consumer.topics.issuedToken,
      'x-original-partition': '0',
      'x-original-offset': '0',
      'x-attempt': '1',
      'x-not-before': String(Date.now()),
      ...overrides,
    });
    const value = JSON.stringify(tokenIssuedEvent(key));
    await publish(kafka, consumer.topics.retry, [
      { key, value, headers: retryHeaders({ 'x-not-before': String(Date.now() + 365 * 86_400_000) }) }, // would pause the partition for a year
      { key, value, headers: retryHeaders({ 'x-attempt': 'abc' }) }, // was new Date(NaN).toISOString()
      { key, value, headers: retryHeaders({ 'x-original-topic': 'some-other-topic' }) },
      { key, value: JSON.stringify(token), headers: retryHeaders({}) }, // a genuine retry, behind them
    ]);

    await eventually(async () => (await tokenCount(token.payload.jti)) === 1, { what: 'the genuine retry behind the forgeries projected' });
    const dead = await probe.waitFor((record) => record.topic === consumer.topics.deadLetter && record.key === key, 3);
    expect(dead.map((record) => record.headers['x-error'])).toEqual([
      expect.stringMatching(/^retry headers not written by this consumer: x-not-before/),
      expect.stringMatching(/^retry headers not written by this consumer: x-attempt/),
      expect.stringMatching(/^retry headers not written by this consumer: x-original-topic/),
    ]);
    for (const record of dead) expect(record.headers).toMatchObject({ 'x-original-topic': consumer.topics.retry, 'x-attempt': '0', 'x-error-type': 'PoisonMessageError' });
    await expectNoConsumerStopped();
  });

  // Zeros: gzip and zstd make them about a thousand times smaller. (The broker refuses an LZ4
  // batch of this size itself; LZ4's bound is checked in libs/kafka/src/compression.test.ts.)
  it.each([
    ['gzip', CompressionTypes.GZIP],
    ['zstd', CompressionTypes.ZSTD],
  ])('when a batch would decompress past the limit (a %s bomb, kilobytes on the wire), it becomes one dead letter and the partition moves on', async (_name, compression) => {
    const key = randomUUID();
    const behind = userCreatedEvent({ userId: key });
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    let at = { partition: '', offset: '' };
    await producer.connect();
    try {
      const bomb = Buffer.alloc(MAX_DECOMPRESSED_BATCH_BYTES + 8 * 1024 * 1024);
      const [sent] = await producer.send({ topic: consumer.topics.newUserCreated, acks: -1, compression, messages: [{ key, value: bomb }] });
      at = { partition: String(sent!.partition), offset: String(sent!.baseOffset) };
      // Compressed, but well within the limit: read as usual.
      await producer.send({ topic: consumer.topics.newUserCreated, acks: -1, compression: CompressionTypes.GZIP, messages: [asMessage(behind)] });
    } finally {
      await producer.disconnect();
    }

    // This case's bomb: the stand-in record sits at the batch's last offset, on its partition.
    const [dead] = await probe.waitFor((record) => record.topic === consumer.topics.deadLetter && record.headers['x-original-partition'] === at.partition && (record.headers['x-error'] ?? '').startsWith(`record batch of offsets ${at.offset} to`));
    expect(dead!.headers).toMatchObject({
      'x-original-topic': consumer.topics.newUserCreated,
      'x-error': expect.stringMatching(/: decompressed, the batch would exceed the largest size allowed$/),
      'x-error-type': 'PoisonMessageError',
    });
    expect(dead!.value).toBe('');
    await eventually(async () => (await userCount(key)) === 1, { what: 'the user behind the bomb, on the same partition, projected' });
    await expectNoConsumerStopped();
  }, 60_000);

  it('when a valid event holds data the database refuses, it is dead-lettered at once with the reason, and the events behind it are projected', async () => {
    const refused = userCreatedEvent({ username: 'nul\u0000byte' }); // valid JSON and schema; PostgreSQL text cannot hold NUL
    const key = refused.payload.userId;
    const behind = tokenIssuedEvent(key);
    const next = userCreatedEvent();
    await publish(kafka, consumer.topics.newUserCreated, [asMessage(refused), { ...asMessage(next), key }]);
    await publish(kafka, consumer.topics.issuedToken, [asMessage(behind)]);

    const [dead] = await probe.waitFor((record) => record.topic === consumer.topics.deadLetter && record.key === key);
    expect(dead!.headers).toMatchObject({ 'x-attempt': '0', 'x-error-type': 'SequelizeDatabaseError', 'x-original-topic': consumer.topics.newUserCreated });
    expect(probe.records.filter((record) => record.topic === consumer.topics.retry && record.key === key)).toEqual([]);
    await eventually(async () => (await userCount(next.payload.userId)) === 1, { what: 'the user behind the refused one projected' });
    // A token is stored even though its user never made it: it waits for nothing.
    await eventually(async () => (await tokenCount(behind.payload.jti)) === 1, { what: 'the token of the refused user stored' });
    await expectNoConsumerStopped();
  });
});

describe('a record with tens of thousands of headers', () => {
  const kafka = testKafka();
  let consumer: InProcessConsumer;

  beforeAll(async () => {
    consumer = await startInProcessConsumer(); // Kafka's default size limit (1 MB)
  }, 120_000);

  afterAll(async () => {
    await consumer?.stop();
  });

  it('when it arrives, it is dead-lettered in moments and the event behind it is projected (kafkajs alone took minutes: patches/README.md)', async () => {
    const user = userCreatedEvent();
    const key = user.payload.userId;
    const headers = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`h${String(i).padStart(5, '0')}`, '']));
    await publish(kafka, consumer.topics.newUserCreated, [{ key, value: 'not an event', headers: { ...headers, toString: 'x', __proto__: 'y' } }]);
    await publish(kafka, consumer.topics.newUserCreated, [asMessage(user)]);

    await eventually(async () => (await queryNumber(consumer.databaseUrl, 'SELECT count(*) FROM users WHERE id = $1', [key])) === 1, { timeoutMs: 30_000, what: 'the user behind the record projected' });
    const metrics = (await request(consumer.url, 'GET', '/metrics', undefined, consumer.asOperator)).body as string;
    expect(metrics).toMatch(/herald_consumer_dead_lettered_total\{topic="[^"]*new-user-created"\} 1/);
    expect((await request(consumer.url, 'GET', '/ready')).status).toBe(200);
  }, 60_000);
});
