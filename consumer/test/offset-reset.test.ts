import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually, queryNumber, request, testInfra, testKafka } from '@herald/testing';
import { ROOT } from '@herald/local-infra';
import { asMessage, publish, userCreatedEvent } from './support/events';
import { startInProcessConsumer, type InProcessConsumer } from './support/in-process-consumer';

const run = promisify(execFile);
const USERS = 30;

/** The runbook, word for word: stop the group's members, reset with the Kafka tool, start again. */
describe('resetting a group to the earliest offset (npm run kafka -- consumer-groups --reset-offsets)', () => {
  let consumer: InProcessConsumer;

  afterAll(async () => {
    await consumer?.stop();
  });

  const kafkaTool = (...args: string[]) =>
    run(process.execPath, [join(ROOT, 'scripts/bootstrap.mjs'), join(ROOT, 'scripts/kafka.ts'), 'consumer-groups', ...args], {
      cwd: ROOT,
      env: { ...process.env, KAFKA_BROKERS: testInfra().kafkaBrokers },
    });

  it('when the members are stopped and the group is reset, the restarted consumer reads every event again and changes nothing', async () => {
    consumer = await startInProcessConsumer();
    const users = Array.from({ length: USERS }, () => userCreatedEvent());
    await publish(testKafka(), consumer.topics.newUserCreated, users.map(asMessage));
    const projected = () => queryNumber(consumer.databaseUrl, 'SELECT count(*) FROM users');
    await eventually(async () => (await projected()) === USERS, { what: 'the users projected' });

    await consumer.stopOnly(); // a group with live members refuses a reset
    const group = ['--group', `${consumer.groupPrefix}.users`, '--topic', consumer.topics.newUserCreated, '--reset-offsets', '--to-earliest'];
    const preview = await kafkaTool(...group, '--dry-run');
    expect(preview.stdout).toMatch(new RegExp(`${consumer.groupPrefix.replaceAll('.', '\\.')}\\.users\\s+${consumer.topics.newUserCreated.replaceAll('.', '\\.')}\\s+\\d+\\s+0`));
    await kafkaTool(...group, '--execute');

    consumer = await consumer.startAgain();
    const redelivered = async () => {
      const metrics = (await request(consumer.url, 'GET', '/metrics', undefined, consumer.asOperator)).body as string;
      return Number(/herald_consumer_redelivered_total\{topic="[^"]*new-user-created"\} (\d+)/.exec(metrics)?.[1] ?? 0);
    };
    await eventually(async () => (await redelivered()) === USERS, { timeoutMs: 60_000, what: 'every event read again' });
    expect(await projected()).toBe(USERS);
  }, 180_000);
});
