import { createLogger } from '@herald/core';
import { createSequelize } from '@herald/db';
import { buildEvent } from '@herald/events';
import { eventually, isReady, newUser, queryRows, recordSpans, request, startProbe, testKafka, type ReadableSpan, type SpanRecorder } from '@herald/testing';
import { SpanKind } from '@opentelemetry/api';
import { randomUUID } from 'node:crypto';
import type { ProducerConfig } from '../src/config';
import { startProducer, type RunningProducer } from '../src/main';
import { createOutboxWriter } from '../src/outbox/outbox-writer';
import { createTestDatabase, testProducerConfig } from './support/test-env';

const logger = createLogger({ name: 'producer-test', level: 'silent' });
const contextOf = (span: ReadableSpan) => `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`;

/**
 * With tracing on (here: a provider of the test's own, in the producer's process), the record's
 * `traceparent` is the outbox row's creation span, and the relay sends it as it was stored.
 */
describe('the outbox keeps the trace context it was written in, and the relay sends it unchanged (real Kafka, real PostgreSQL)', () => {
  let recorder: SpanRecorder;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let config: ProducerConfig;
  let producer: RunningProducer;
  let probe: Awaited<ReturnType<typeof startProbe>>;

  beforeAll(async () => {
    recorder = recordSpans();
    database = await createTestDatabase();
    config = testProducerConfig({ databaseUrl: database.url });
    producer = await startProducer(config, logger);
    await eventually(isReady(producer.url), { what: 'producer ready' });
    probe = await startProbe(testKafka(), [config.topics.newUserCreated, config.topics.userFollowed]);
  });

  afterAll(async () => {
    await probe?.stop();
    await producer?.stop();
    await database?.drop();
    await recorder?.stop();
  });

  const spans = (where: (span: ReadableSpan) => boolean) => recorder.spans().filter(where);
  const storedHeaders = async (key: string) =>
    (await queryRows<{ traceparent: string }>(database.url, "SELECT headers->>'traceparent' AS traceparent FROM outbox_events WHERE key = $1 ORDER BY id", [key])).map((row) => row.traceparent);

  it("a sign-up's row stores its creation span's context, not the caller's header, and the record carries that same context", async () => {
    const callersHeader = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const response = await request(producer.url, 'POST', '/users', newUser(), { traceparent: callersHeader });
    expect(response.status).toBe(201);
    const userId = response.body.id as string;

    const [record] = await probe.waitFor((each) => each.key === userId);
    const [create] = spans((span) => span.name === `create ${config.topics.newUserCreated}` && span.attributes['messaging.kafka.message.key'] === userId);
    expect(create).toBeDefined();
    expect(create!.kind).toBe(SpanKind.PRODUCER);
    expect(await storedHeaders(userId)).toEqual([contextOf(create!)]);
    expect(record!.headers.traceparent).toBe(contextOf(create!));

    // The relay's send links to the creation context (and, for a lone record, is its child).
    await eventually(async () => spans((span) => span.kind === SpanKind.PRODUCER && span.name.startsWith('send ') && span.links.some((link) => link.context.spanId === create!.spanContext().spanId)).length > 0, {
      what: "the relay's send span",
    });
  });

  it('a row written inside a request span is created as its child', async () => {
    const sequelize = createSequelize({ config: config.database, logger });
    const outbox = createOutboxWriter({ sequelize, tracer: recorder.tracer });
    const followerId = randomUUID();
    const event = buildEvent('user-followed', { followerId, followeeId: randomUUID(), at: new Date().toISOString(), revision: 1 });
    try {
      await recorder.tracer.startActiveSpan('POST /follows', async (requestSpan) => {
        await sequelize.transaction((transaction) => outbox.add({ topic: config.topics.userFollowed, key: followerId, event, traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }, transaction));
        requestSpan.end();
      });
    } finally {
      await sequelize.close();
    }
    const [requestSpan] = spans((span) => span.name === 'POST /follows');
    const [create] = spans((span) => span.name === `create ${config.topics.userFollowed}`);
    expect(create!.parentSpanContext?.spanId).toBe(requestSpan!.spanContext().spanId);
    expect(create!.spanContext().traceId).toBe(requestSpan!.spanContext().traceId);
    expect(await storedHeaders(followerId)).toEqual([contextOf(create!)]);
    const [record] = await probe.waitFor((each) => each.key === followerId);
    expect(record!.headers.traceparent).toBe(contextOf(create!));
  });

  it('rows sent in one batch keep their own contexts; the send links to each of them', async () => {
    const sequelize = createSequelize({ config: config.database, logger });
    const outbox = createOutboxWriter({ sequelize, tracer: recorder.tracer });
    const followerId = randomUUID();
    try {
      // One transaction, three rows: committed together, the relay reads them as one batch.
      await sequelize.transaction(async (transaction) => {
        for (let revision = 1; revision <= 3; revision += 1) {
          const event = buildEvent('user-followed', { followerId, followeeId: randomUUID(), at: new Date().toISOString(), revision });
          await outbox.add({ topic: config.topics.userFollowed, key: followerId, event }, transaction);
        }
      });
    } finally {
      await sequelize.close();
    }
    const stored = await storedHeaders(followerId);
    expect(new Set(stored).size).toBe(3);
    const records = await probe.waitFor((each) => each.key === followerId, 3);
    expect(records.map((record) => record.headers.traceparent)).toEqual(stored);

    const linked = () =>
      spans((span) => span.name === `send ${config.topics.userFollowed}`)
        .flatMap((span) => span.links)
        .map((link) => `00-${link.context.traceId}-${link.context.spanId}-01`);
    await eventually(async () => stored.every((context) => linked().includes(context)), { what: 'send spans linked to every row' });
  });
});
