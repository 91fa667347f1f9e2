import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { HeraldEvent } from '@herald/events';
import { eventually, queryNumber, testInfra, testKafka } from '@herald/testing';
import { ROOT } from '@herald/local-infra';
import { asMessage, publish, tokenIssuedEvent, userCreatedEvent } from './support/events';
import { startInProcessConsumer, type InProcessConsumer } from './support/in-process-consumer';

const run = promisify(execFile);
const MAX_MESSAGE_BYTES = 64 * 1024;

/** The runbook, word for word: list the dead-letter queue, fix the cause, replay the records. */
describe('replaying the dead-letter queue (npm run dlq)', () => {
  const kafka = testKafka();
  let consumer: InProcessConsumer;
  /** A bug that refuses these events until it is "fixed" (the set emptied). */
  const buggy = new Set<string>();

  beforeAll(async () => {
    consumer = await startInProcessConsumer({
      maxMessageBytes: MAX_MESSAGE_BYTES,
      faults: {
        beforeApply: (events: HeraldEvent[]) => {
          if (events.some((event) => buggy.has(event.eventId))) throw new TypeError('a bug (test fault)');
        },
      },
    });
  }, 120_000);

  afterAll(async () => {
    await consumer?.stop();
  });

  const dlq = (...args: string[]) =>
    run(process.execPath, [join(ROOT, 'scripts/bootstrap.mjs'), join(ROOT, 'scripts/dlq.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, KAFKA_BROKERS: testInfra().kafkaBrokers, KAFKA_TOPIC_PREFIX: consumer.topicPrefix },
    }).then(
      ({ stdout, stderr }) => ({ stdout, stderr, code: 0 as number | undefined }),
      (error: { stdout?: string; stderr?: string; code?: number }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '', code: error.code }),
    );

  it('when the cause is fixed, the records listed are replayed to their topics and projected, a copy without its value included', async () => {
    const user = userCreatedEvent();
    const token = tokenIssuedEvent(user.payload.userId);
    // Valid JSON padded to near the size limit: its dead-letter copy has to leave the value out.
    const padded = tokenIssuedEvent(user.payload.userId);
    const json = JSON.stringify(padded);
    const paddedValue = `{${' '.repeat(MAX_MESSAGE_BYTES - 300 - json.length)}${json.slice(1)}`; // fits; its copy with failure headers would not
    for (const event of [token, padded]) buggy.add(event.eventId);
    await publish(kafka, consumer.topics.newUserCreated, [asMessage(user)]);
    await publish(kafka, consumer.topics.issuedToken, [asMessage(token)]);
    await publish(kafka, consumer.topics.issuedToken, [{ ...asMessage(padded), value: paddedValue }]);

    const tokens = () => queryNumber(consumer.databaseUrl, 'SELECT count(*) FROM issued_tokens WHERE user_id = $1', [user.payload.userId]);
    let listed = '';
    await eventually(async () => (listed = (await dlq('list')).stdout).includes('2 record(s)'), { timeoutMs: 60_000, what: 'both tokens listed in the dead-letter queue' });
    expect(listed).toMatch(/TypeError: a bug \(test fault\)/);
    expect(listed).toMatch(/value left out \(replay reads the original\)/);
    expect(await tokens()).toBe(0);

    buggy.clear(); // the fix is deployed
    const positions = [...listed.matchAll(/^(\d+:\d+) /gm)].map((match) => match[1]!);
    const replay = await dlq('replay', ...positions);
    expect(replay.stdout).toMatch(/2 replayed, 0 skipped/);
    await eventually(async () => (await tokens()) === 2, { what: 'both replayed tokens projected' });
  }, 120_000);

  it('refuses a replay it cannot do and says why, without sending anything', async () => {
    const answer = await dlq('replay', '0:999999');
    expect(answer.stdout).toMatch(/skipped 0:999999: not in the dead-letter queue/);
    expect(answer.code).toBe(1);
    expect((await dlq('replay', 'garbage')).stderr).toMatch(/replay takes <partition>:<offset> values/);
  }, 60_000);
});
