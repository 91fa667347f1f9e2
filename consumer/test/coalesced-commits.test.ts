import { eventually, queryNumber, request, testKafka } from '@herald/testing';
import { uncommitted } from '@herald/kafka';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Partitioners, type Admin, type Message } from 'kafkajs';
import { asMessage, publish, tokenIssuedEvent, userCreatedEvent } from './support/events';
import { startInProcessConsumer, type InProcessConsumer } from './support/in-process-consumer';

const SPREAD = 120;

/** OffsetCommit requests the group's consumer had accepted (kafkajs' COMMIT_OFFSETS events, on /metrics). */
async function commitsOf(consumer: InProcessConsumer, group: string): Promise<number> {
  const metrics = (await request(consumer.url, 'GET', '/metrics', undefined, consumer.asOperator)).body as string;
  const line = new RegExp(`herald_consumer_offset_commits_total\\{group="${consumer.groupPrefix.replace(/[.-]/g, '\\$&')}\\.${group}"\\} (\\d+)`).exec(metrics);
  return Number(line?.[1] ?? 0);
}

/** One record per produce request at a fixed rate (200/s), as a stream at a steady low rate looks: most batches hold one record. */
async function sendSpread(kafka: ReturnType<typeof testKafka>, records: Array<{ topic: string; message: Message }>): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const started = performance.now();
    const sends: Array<Promise<unknown>> = [];
    for (const [i, { topic, message }] of records.entries()) {
      const wait = started + i * 5 - performance.now();
      if (wait > 1) await sleep(wait);
      sends.push(producer.send({ topic, acks: -1, messages: [message] }));
    }
    await Promise.all(sends);
  } finally {
    await producer.disconnect();
  }
}

describe('coalesced offset commits of the projection groups', () => {
  const kafka = testKafka();
  let admin: Admin;
  let consumer: InProcessConsumer | undefined;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
  });

  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
  });

  /** Both groups: tokens commits by hand (manual), users through kafkajs (auto). */
  const groupsOf = (running: InProcessConsumer) => [
    { group: 'tokens', topic: running.topics.issuedToken, table: 'issued_tokens' },
    { group: 'users', topic: running.topics.newUserCreated, table: 'users' },
  ];

  const interleaved = (running: InProcessConsumer, count: number) =>
    Array.from({ length: count }, (_, i) =>
      i % 2 === 0 ? { topic: running.topics.issuedToken, message: asMessage(tokenIssuedEvent(randomUUID())) } : { topic: running.topics.newUserCreated, message: asMessage(userCreatedEvent()) },
    );

  it('with a 100 ms interval, records spread over time are committed in far fewer requests than records, and lag reaches 0 after the last one without another record', async () => {
    consumer = await startInProcessConsumer({ env: { CONSUMER_COMMIT_INTERVAL_MS: '100' } });
    const running = consumer;
    const before = await Promise.all(groupsOf(running).map(({ group }) => commitsOf(running, group)));

    const firstSentAt = Date.now();
    await sendSpread(kafka, interleaved(running, SPREAD * 2));
    const lastSentAt = Date.now();

    for (const [index, { group, topic, table }] of groupsOf(running).entries()) {
      // No record comes after the last: a commit held back for the next one would never come, and
      // this would time out. How soon it comes is the bench's to measure, not a timed assertion's.
      await eventually(async () => (await uncommitted(admin, `${running.groupPrefix}.${group}`, topic)) === 0, { timeoutMs: 10_000, what: `the ${group} group committed to the end of every partition` });
      expect(await queryNumber(running.databaseUrl, `SELECT count(*) FROM ${table}`)).toBe(SPREAD);
      const commits = (await commitsOf(running, group)) - before[index]!;
      expect(commits).toBeGreaterThan(0);
      // At most one per interval while the records came, and one more for the last of them.
      expect(commits).toBeLessThanOrEqual(Math.ceil((lastSentAt - firstSentAt) / 100) + 3);
      expect(commits).toBeLessThan(SPREAD / 2);
    }
  }, 120_000);

  it('with interval 0, each batch is committed on its own: with fetches of at most two records a partition, at least one request per two records', async () => {
    // One record per produce request is one record batch of 400-600 bytes here, and the broker
    // returns whole batches up to 1 KiB a partition: each batch the consumer sees holds one or two
    // records however busy the machine is (a busy consumer otherwise fetches more per batch).
    consumer = await startInProcessConsumer({ env: { CONSUMER_COMMIT_INTERVAL_MS: '0', CONSUMER_FETCH_MAX_BYTES_PER_PARTITION: '1024' } });
    const running = consumer;
    const before = await Promise.all(groupsOf(running).map(({ group }) => commitsOf(running, group)));

    await sendSpread(kafka, interleaved(running, SPREAD * 2));

    for (const [index, { group, topic }] of groupsOf(running).entries()) {
      await eventually(async () => (await uncommitted(admin, `${running.groupPrefix}.${group}`, topic)) === 0, { timeoutMs: 10_000, what: `the ${group} group caught up` });
      const commits = (await commitsOf(running, group)) - before[index]!;
      expect(commits).toBeGreaterThanOrEqual(SPREAD / 2);
    }
  }, 120_000);

  it('when kafkajs gives a manual-commit consumer up and the service starts a fresh one, the fresh one commits to the end', async () => {
    let left = 1;
    consumer = await startInProcessConsumer({
      env: { CONSUMER_COMMIT_INTERVAL_MS: '100', CONSUMER_RESTART_BASE_DELAY_MS: '100' },
      faults: {
        // A TypeError after the database commit, before the offset is handed over: kafkajs calls it unrecoverable.
        afterDatabaseCommit: (groupId) => {
          if (!groupId.endsWith('.tokens') || left <= 0) return;
          left -= 1;
          throw new TypeError('a bug (test fault)');
        },
      },
    });
    const running = consumer;
    await publish(kafka, running.topics.issuedToken, Array.from({ length: 50 }, () => asMessage(tokenIssuedEvent(randomUUID()))));
    await eventually(async () => (await uncommitted(admin, `${running.groupPrefix}.tokens`, running.topics.issuedToken)) === 0, { timeoutMs: 60_000, what: 'the tokens group committed to the end after its restart' });
    expect(left).toBe(0);
    expect(await queryNumber(running.databaseUrl, 'SELECT count(DISTINCT jti) FROM issued_tokens')).toBe(50);
  }, 120_000);

  it('on stop, offsets written to the database but not yet committed are committed before the consumer leaves its groups', async () => {
    // An interval far longer than the test: only the stop can commit what the burst wrote.
    consumer = await startInProcessConsumer({ env: { CONSUMER_COMMIT_INTERVAL_MS: '600000' } });
    const running = consumer;
    const projected = async (table: string) => queryNumber(running.databaseUrl, `SELECT count(*) FROM ${table}`);
    // One record first: the manual group commits the first offset after a quiet spell at once.
    await publish(kafka, running.topics.issuedToken, [asMessage(tokenIssuedEvent(randomUUID()))]);
    await eventually(async () => (await projected('issued_tokens')) === 1, { what: 'the first token projected' });
    await eventually(async () => (await uncommitted(admin, `${running.groupPrefix}.tokens`, running.topics.issuedToken)) === 0, { what: 'the first token committed' });

    await publish(kafka, running.topics.issuedToken, Array.from({ length: 40 }, () => asMessage(tokenIssuedEvent(randomUUID()))));
    await publish(kafka, running.topics.newUserCreated, Array.from({ length: 40 }, () => asMessage(userCreatedEvent())));
    await eventually(async () => (await projected('issued_tokens')) === 41 && (await projected('users')) === 40, { what: 'the burst projected' });
    for (const { group, topic } of groupsOf(running)) {
      expect(await uncommitted(admin, `${running.groupPrefix}.${group}`, topic)).toBeGreaterThan(0);
    }

    await running.stopOnly();
    for (const { group, topic } of groupsOf(running)) {
      expect(await uncommitted(admin, `${running.groupPrefix}.${group}`, topic)).toBe(0);
    }
    consumer = await running.startAgain(); // for afterEach, which also drops the database
  }, 120_000);
});
