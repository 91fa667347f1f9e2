import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually, newUser, queryNumber, queryRows, request, testKafka } from '@herald/testing';
import { ROOT } from '@herald/local-infra';
import { startSystem, type TestSystem } from './support/system';

const run = promisify(execFile);
const USERS = 10;

/** The runbook, word for word: Kafka's retention dropped the events, the read model is lost, rebuild it. */
describe('rebuilding the read models (npm run republish)', () => {
  let system: TestSystem;
  const kafka = testKafka();

  beforeAll(async () => {
    system = await startSystem();
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('when the early events are gone from Kafka and the read model is emptied, republishing from the producer brings every user back', async () => {
    const ids: string[] = [];
    for (let i = 0; i < USERS; i += 1) ids.push((await request(system.producerUrl, 'POST', '/users', newUser())).body.id as string);
    const projected = () => queryNumber(system.consumerDatabaseUrl, 'SELECT count(*) FROM users');
    await eventually(async () => (await projected()) === USERS, { what: 'the users projected' });

    // Retention passes: every record of the topic is gone.
    const topic = `${system.topicPrefix}new-user-created`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.fetchTopicMetadata({ topics: [topic] }); // kafkajs deletes records only of topics whose metadata it holds
    await admin.deleteTopicRecords({ topic, partitions: Array.from({ length: 8 }, (_, partition) => ({ partition, offset: '-1' })) });
    const kept = (await admin.fetchTopicOffsets(topic)).reduce((sum, { low, high }) => sum + Number(high) - Number(low), 0);
    await admin.disconnect();
    expect(kept).toBe(0);
    // The read model is lost.
    await queryRows(system.consumerDatabaseUrl, 'TRUNCATE users');

    const { stdout } = await run(process.execPath, [join(ROOT, 'scripts/bootstrap.mjs'), join(ROOT, 'scripts/republish.ts'), 'users'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: system.producerDatabaseUrl, KAFKA_TOPIC_PREFIX: system.topicPrefix },
    });
    expect(stdout).toMatch(new RegExp(`${USERS} users in the outbox`));

    await eventually(async () => (await projected()) === USERS, { timeoutMs: 60_000, what: 'every user back in the read model' });
    const back = await queryRows<{ id: string }>(system.consumerDatabaseUrl, 'SELECT id FROM users');
    expect(back.map((row) => row.id).sort()).toEqual([...ids].sort());
  }, 120_000);
});
